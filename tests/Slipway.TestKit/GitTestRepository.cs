using Slipway.Infrastructure.Processes;
using Xunit;

namespace Slipway.TestKit;

/// <summary>
/// A real git work tree for GitOps tests: an operator's repository in a local bare "remote", with an author clone
/// that commits and pushes and deploy-side clones that restart pulls into. Identity is set per repository.
/// </summary>
public sealed class GitTestRepository
{
    private static readonly SystemProcessRunner Runner = new();

    private GitTestRepository(string path) => Path = path;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Creates <c>&lt;root&gt;/&lt;name&gt;.git</c> (bare, branch main) and an author clone at <c>&lt;root&gt;/&lt;name&gt;-author</c>
    /// holding <paramref name="files"/> as the first commit, pushed.
    /// </summary>
    public static async Task<GitTestRepository> CreateAuthorAsync(string root, string name, IReadOnlyDictionary<string, string> files)
    {
        var bare = System.IO.Path.Combine(root, name + ".git");
        await RunAsync(root, "init", "--quiet", "--bare", "--initial-branch=main", bare);
        var author = await CloneAsync(bare, System.IO.Path.Combine(root, name + "-author"));
        foreach (var (path, text) in files) author.Write(path, text);
        await author.CommitAsync("initial");
        await author.GitAsync("push", "--quiet", "--set-upstream", "origin", "main");
        return author;
    }

    /// <summary>Clones <paramref name="remote"/> into <paramref name="target"/> with a local identity.</summary>
    public static async Task<GitTestRepository> CloneAsync(string remote, string target)
    {
        await RunAsync(System.IO.Path.GetDirectoryName(target)!, "clone", "--quiet", remote, target);
        var repo = new GitTestRepository(target);
        await repo.GitAsync("config", "user.name", "Slipway Tests");
        await repo.GitAsync("config", "user.email", "tests@slipway.invalid");
        await repo.GitAsync("config", "commit.gpgsign", "false");
        return repo;
    }

    /// <summary>The bare remote this repository's origin points at.</summary>
    public async Task<string> RemoteAsync() => (await GitAsync("remote", "get-url", "origin")).Trim();

    public string Write(string relativePath, string text)
    {
        var full = Combine(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public string Read(string relativePath) => File.ReadAllText(Combine(relativePath));

    /// <summary>Commits everything; returns the new HEAD.</summary>
    public async Task<string> CommitAsync(string message)
    {
        await GitAsync("add", "--all");
        await GitAsync("commit", "--quiet", "--message", message);
        return await HeadAsync();
    }

    /// <summary>Commits everything and pushes to origin; returns the new HEAD.</summary>
    public async Task<string> CommitAndPushAsync(string message)
    {
        var head = await CommitAsync(message);
        await GitAsync("push", "--quiet");
        return head;
    }

    public async Task<string> HeadAsync() => (await GitAsync("rev-parse", "HEAD")).Trim();

    public Task<string> GitAsync(params string[] args) => RunAsync(Path, args);

    private static async Task<string> RunAsync(string directory, params string[] args)
    {
        var result = await Runner.RunAsync(new ProcessSpec("git", ["-C", directory, .. args])
        {
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
            Timeout = TimeSpan.FromSeconds(60),
        });
        Assert.True(result.Succeeded, $"git failed:\n{result}");
        return result.StandardOutput;
    }
}
