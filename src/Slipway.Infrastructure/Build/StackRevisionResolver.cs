using System.Security.Cryptography;
using System.Text;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Build;

/// <summary>
/// Works out a stack's <see cref="StackRevision"/>: git's commit (12 characters), <c>-dirty-&lt;hash&gt;</c> when the work
/// tree has changes, or <c>content-&lt;hash&gt;</c> outside git. Only file names go through git's output (and so
/// into run logs); file contents are read and hashed here.
/// </summary>
internal sealed class StackRevisionResolver(Git git)
{
    private const int HashLength = 12;

    /// <summary>
    /// The revision of the whole stack, or (with <paramref name="scope"/>, an image's build folder) of that folder only:
    /// the last commit that touched it, so a commit that changes only config keeps every image's tag, and with it every
    /// container that does not use that config (a config-only change recreates only its consumers).
    /// </summary>
    public async Task<StackRevision> ResolveAsync(Stack stack, CancellationToken cancellationToken, string? scope = null)
    {
        // One git for both questions: where the work tree is, and its HEAD (which fails, after the first line, without a commit).
        string[] lines;
        try
        {
            var asked = await git.RunAsync(scope ?? stack.Directory, ["rev-parse", "--show-toplevel", "--verify", "--quiet", "HEAD^{commit}"], cancellationToken, TimeSpan.FromMinutes(1));
            lines = asked.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Processes.ToolNotFoundException)
        {
            lines = [];
        }

        if (lines.Length == 0)
        {
            return ContentRevision(stack, "the stack is not in a git work tree (or git is not installed)", scope);
        }

        var root = lines[0];
        if (lines.Length < 2 || lines[1].Length < HashLength)
        {
            return ContentRevision(stack, $"the git repository {root} has no commit yet", scope);
        }

        var head = lines[1];
        string[] paths = scope is null ? [] : ["--", scope];
        if (scope is not null && await GitAsync(root, cancellationToken, ["log", "-1", "--format=%H", .. paths]) is { } last && last.Trim().Length >= HashLength)
        {
            head = last;
        }

        var commit = head.Trim();
        var shortCommit = commit[..HashLength];
        // --no-optional-locks: a read-only question must not rewrite the user's index.
        var status = await GitAsync(root, cancellationToken, ["--no-optional-locks", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=none", .. paths]);
        if (status is null)
        {
            return ContentRevision(stack, $"'git status' failed in {root}", scope);
        }

        var changed = ChangedPaths(status);
        if (changed.Count == 0)
        {
            return new StackRevision(shortCommit, RevisionKind.GitCommit, $"git commit {shortCommit} of {root}", commit);
        }

        var hash = HashFiles(root, changed);
        return new StackRevision($"{shortCommit}-dirty-{hash}", RevisionKind.GitDirty,
            $"git commit {shortCommit} of {root} with {changed.Count} uncommitted change{(changed.Count == 1 ? "" : "s")} (content hash {hash})", commit);
    }

    /// <summary>Paths from <c>git status --porcelain=v1 -z</c>: <c>XY path\0</c>, renames and copies followed by <c>origin\0</c>.</summary>
    internal static IReadOnlyList<string> ChangedPaths(string porcelain)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var entries = porcelain.Split('\0');
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i].TrimStart('\n', '\r');
            if (entry.Length < 4) continue;
            paths.Add(entry[3..]);
            if (entry[0] is 'R' or 'C' && i + 1 < entries.Length)
            {
                paths.Add(entries[++i]);
            }
        }

        return [.. paths];
    }

    /// <summary>A content hash of the scope (a build folder), or of the stack folder and every build folder, for stacks outside git.</summary>
    internal static StackRevision ContentRevision(Stack stack, string why, string? scope = null)
    {
        var roots = new List<string>();
        if (scope is not null)
        {
            roots.Add(scope);
        }
        else
        {
            roots.Add(stack.Directory);
            roots.AddRange(stack.Definition.Containers.Select(stack.ContainerBuildDirectory).OfType<string>());
        }

        var files = new List<(string Root, string Relative)>();
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            files.AddRange(Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
                .Select(f => (root, Path.GetRelativePath(root, f))));
        }

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (root, relative) in files.OrderBy(f => f.Root, StringComparer.Ordinal).ThenBy(f => f.Relative, StringComparer.Ordinal))
        {
            AppendFile(sha, Path.GetRelativePath(stack.Directory, root), relative, Path.Combine(root, relative));
        }

        var hash = Convert.ToHexStringLower(sha.GetHashAndReset())[..HashLength];
        return new StackRevision($"content-{hash}", RevisionKind.ContentHash,
            $"content hash {hash} of {(scope is null ? "the stack and its build folders" : scope)}: {why}");
    }

    private static string HashFiles(string root, IReadOnlyList<string> relativePaths)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in relativePaths)
        {
            AppendFile(sha, "", relative, Path.Combine(root, relative));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset())[..HashLength];
    }

    /// <summary>Name, kind and content, each length-prefixed so that no two different sets of files hash alike.</summary>
    private static void AppendFile(IncrementalHash sha, string root, string relative, string path)
    {
        Append(sha, Encoding.UTF8.GetBytes(root + "\0" + relative.Replace('\\', '/')));
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            Append(sha, Encoding.UTF8.GetBytes("link:" + target));
        }
        else if (info.Exists)
        {
            Append(sha, "file:"u8.ToArray());
            Append(sha, File.ReadAllBytes(path));
            if (!OperatingSystem.IsWindows())
            {
                // An executable bit is part of what a build sees (a build.sh made executable is a change).
                Append(sha, BitConverter.GetBytes((int)(info.UnixFileMode & UnixFileMode.UserExecute)));
            }
        }
        else if (Directory.Exists(path))
        {
            Append(sha, "directory"u8.ToArray()); // a submodule: its own commit is not looked into
        }
        else
        {
            Append(sha, "deleted"u8.ToArray());
        }
    }

    private static void Append(IncrementalHash sha, byte[] bytes)
    {
        sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
        sha.AppendData(bytes);
    }

    private Task<string?> GitAsync(string directory, CancellationToken cancellationToken, params string[] args) =>
        git.TryAsync(directory, args, cancellationToken, TimeSpan.FromMinutes(1));
}
