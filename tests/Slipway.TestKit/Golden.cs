using System.Runtime.CompilerServices;
using Xunit;

namespace Slipway.TestKit;

/// <summary>
/// Compares text with a golden file kept in the test project's source tree under <c>Golden/</c>. On a difference it
/// writes <c>&lt;name&gt;.received.&lt;ext&gt;</c> beside the golden and fails with the first differing line.
/// <c>UPDATE_GOLDEN=1</c> rewrites goldens instead; a missing golden is never created silently.
/// </summary>
public static class Golden
{
    public const string UpdateVariable = "UPDATE_GOLDEN";
    public const string DirectoryName = "Golden";

    /// <param name="goldenRelativePath">Path under the calling project's <c>Golden/</c> directory, e.g. <c>ComposeRendererTests/web/compose.yaml</c>.</param>
    public static void AssertMatches(string actual, string goldenRelativePath, [CallerFilePath] string callerFile = "") =>
        AssertMatchesIn(Path.Combine(FindProjectDirectory(callerFile), DirectoryName), actual, goldenRelativePath);

    /// <summary>As <see cref="AssertMatches"/> against an explicit golden directory; <paramref name="update"/> null reads <c>UPDATE_GOLDEN</c>.</summary>
    public static void AssertMatchesIn(string goldenDirectory, string actual, string goldenRelativePath, bool? update = null)
    {
        var goldenPath = Path.GetFullPath(Path.Combine(goldenDirectory, goldenRelativePath));
        var receivedPath = ReceivedPathFor(goldenPath);
        actual = Normalize(actual);

        if (update ?? Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Write(goldenPath, actual);
            File.Delete(receivedPath);
            return;
        }

        if (!File.Exists(goldenPath))
        {
            Write(receivedPath, actual);
            Assert.Fail($"Golden file {goldenPath} does not exist.\nWrote the actual text to {receivedPath}.\nIf it is right, rename it or re-run with {UpdateVariable}=1.");
        }

        var expected = Normalize(File.ReadAllText(goldenPath));
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Write(receivedPath, actual);
        Assert.Fail($"{goldenPath} differs from the actual text.\n{DescribeFirstDifference(expected, actual)}\nWrote the actual text to {receivedPath}.\nIf the change is intended, re-run with {UpdateVariable}=1.");
    }

    /// <summary><c>compose.yaml</c> → <c>compose.received.yaml</c>, matching the <c>*.received.*</c> gitignore pattern.</summary>
    public static string ReceivedPathFor(string goldenPath)
    {
        var extension = Path.GetExtension(goldenPath);
        var stem = goldenPath[..^extension.Length];
        return $"{stem}.received{(extension.Length == 0 ? ".txt" : extension)}";
    }

    private static string DescribeFirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        return $"First difference at line {line + 1}:\n  expected: {LineOrEnd(expectedLines, line)}\n  actual:   {LineOrEnd(actualLines, line)}";
    }

    private static string LineOrEnd(string[] lines, int index) => index < lines.Length ? lines[index] : "<end of file>";

    private static string Normalize(string text) => text.ReplaceLineEndings("\n");

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string FindProjectDirectory(string callerFile)
    {
        for (var directory = Path.GetDirectoryName(callerFile); !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.csproj").Any())
            {
                return directory;
            }
        }

        throw new InvalidOperationException($"No *.csproj found above '{callerFile}'; goldens are located from the caller's source path.");
    }
}
