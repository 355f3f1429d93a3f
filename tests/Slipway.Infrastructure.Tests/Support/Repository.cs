using System.Runtime.CompilerServices;

namespace Slipway.Infrastructure.Tests.Support;

internal static class Repository
{
    /// <summary>The repository root (the folder holding Slipway.slnx), found from this source file's path.</summary>
    public static string Root([CallerFilePath] string callerFile = "")
    {
        for (var dir = Path.GetDirectoryName(callerFile); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Slipway.slnx"))) return dir;
        }

        throw new InvalidOperationException($"no Slipway.slnx above {callerFile}");
    }

    /// <summary>Copies a directory tree, keeping Unix file modes (build.sh must stay executable).</summary>
    public static void CopyTree(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(file));
        }
    }
}
