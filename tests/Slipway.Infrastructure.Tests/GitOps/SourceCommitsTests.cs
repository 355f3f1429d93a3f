using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Pipeline;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.GitOps;

/// <summary>The commit, branch and dirtiness a revision records, read from one <c>git status --porcelain=v2 --branch</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SourceCommitsTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    /// <summary>
    /// D whose stack (in the repository ops) has a dict pod from cerc-io/hosting, cloned into the dev root, and another
    /// checkout (other) holding a stack and a spec, as restart --stack-path/--spec-file would name them.
    /// </summary>
    [Fact]
    public async Task The_pods_repositories_in_the_dev_root_are_read_and_a_restarts_stack_path_and_spec_file_are_read_instead_of_deployment_yml()
    {
        var stackYml = "name: shop\npods:\n  - name: web\n    repository: git.vdb.to/cerc-io/hosting\n    path: web\n";
        var ops = await GitTestRepository.CreateAuthorAsync(_workspace.Path, "ops", new Dictionary<string, string> { ["stacks/shop/stack.yml"] = stackYml });
        var other = await GitTestRepository.CreateAuthorAsync(_workspace.Path, "other", new Dictionary<string, string>
        {
            ["stacks/shop/stack.yml"] = stackYml,
            ["prod/spec.yml"] = "stack: ../stacks/shop\n",
        });
        var hostingAuthor = await GitTestRepository.CreateAuthorAsync(_workspace.Path, "hosting", new Dictionary<string, string> { ["web/docker-compose.yml"] = "services: {}\n" });
        var devRoot = _workspace.Combine("cerc");
        Directory.CreateDirectory(devRoot);
        var hosting = await GitTestRepository.CloneAsync(await hostingAuthor.RemoteAsync(), Path.Combine(devRoot, "hosting"));
        hosting.Write("web/local.txt", "an edit\n");
        _workspace.WriteFile("d/deployment.yml", $"cluster-id: slipway-t3st01ab\ndeployment-id: slipway-t3st01ab\nstack-source: \"{ops.Combine("stacks", "shop")}\"\n");
        _workspace.WriteFile("d/spec.yml", "stack: ./stack\n");
        _workspace.WriteFile("d/stack.yml", stackYml);
        var session = DeploymentSession.Open(_workspace.Combine("d"));
        var git = new Git(new SystemProcessRunner());

        var plain = await SourceCommits.ReadAsync(session, git, CancellationToken.None, devRoot);
        var overridden = await SourceCommits.ReadAsync(session, git, CancellationToken.None, devRoot, other.Combine("stacks", "shop"), other.Combine("prod", "spec.yml"));
        var withoutDevRoot = await SourceCommits.ReadAsync(session, git, CancellationToken.None);

        Assert.Equal(
            [
                new SourceCommit("stack", ops.Combine("stacks", "shop"), await ops.HeadAsync(), "main", false),
                new SourceCommit("pod web", hosting.Path, await hosting.HeadAsync(), "main", true),
            ],
            plain);
        Assert.Equal(
            [
                new SourceCommit("stack", other.Combine("stacks", "shop"), await other.HeadAsync(), "main", false) { Override = true },
                new SourceCommit("spec", other.Combine("prod", "spec.yml"), await other.HeadAsync(), "main", false) { Override = true },
                new SourceCommit("pod web", hosting.Path, await hosting.HeadAsync(), "main", true),
            ],
            overridden);
        Assert.Equal(["stack"], withoutDevRoot.Select(s => s.Role));
    }

    [Fact]
    public void A_clean_checkout_on_a_branch_gives_its_commit_and_branch()
    {
        Assert.Equal(("bf471c275ee31edb19acb6bc14c33846343ec839", "main", false),
            SourceCommits.Parse("# branch.oid bf471c275ee31edb19acb6bc14c33846343ec839\n# branch.head main\n"));
    }

    [Fact]
    public void A_changed_or_untracked_file_makes_it_dirty()
    {
        Assert.True(SourceCommits.Parse("# branch.oid abc\n# branch.head main\n1 .M N... 100644 100644 100644 1 1 stack.yml\n").Dirty);
        Assert.True(SourceCommits.Parse("# branch.oid abc\n# branch.head main\n? new.yml\n").Dirty);
    }

    [Fact]
    public void A_detached_head_has_no_branch_and_a_repository_without_commits_no_commit()
    {
        Assert.Equal(("abc", null, false), SourceCommits.Parse("# branch.oid abc\n# branch.head (detached)\n"));
        Assert.Equal((null, "master", false), SourceCommits.Parse("# branch.oid (initial)\n# branch.head master\n"));
    }

    [Fact]
    public void A_failed_git_knows_nothing()
    {
        Assert.Equal((null, null, false), SourceCommits.Parse(null));
    }
}
