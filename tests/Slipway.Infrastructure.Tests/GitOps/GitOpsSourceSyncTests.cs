using System.Runtime.Versioning;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.GitOps;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.GitOps;

[UnsupportedOSPlatform("windows")]
public sealed class GitOpsSourceSyncTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Prepare_pulls_the_operator_repository_then_syncs_D_from_the_pulled_spec()
    {
        var files = new Dictionary<string, string>
        {
            ["stack/stack.yml"] = SampleStack.StackYml + "\n",
            ["stack/compose/docker-compose-web.yml"] = SampleStack.WebCompose + "\n",
            ["stack/compose/docker-compose-worker.yml"] = SampleStack.WorkerCompose + "\n",
            ["stack/compose-jobs/docker-compose-migrate.yml"] = SampleStack.MigrateCompose + "\n",
            ["stack/config/web/site.conf"] = "listen 80;\n",
            ["spec.yml"] = SampleStack.Spec + "\n",
        };
        var author = await GitTestRepository.CreateAuthorAsync(_workspace.Path, "ops", files);
        var checkout = await GitTestRepository.CloneAsync(await author.RemoteAsync(), _workspace.Combine("checkout"));
        var env = TestEnvironment.Create(_workspace.Path, new SystemProcessRunner());
        await new DeployCreate(env).RunAsync(new CreateRequest { SpecFile = checkout.Combine("spec.yml"), DeploymentDirectory = "d" }, CancellationToken.None);
        author.Write("spec.yml", SampleStack.Spec.Replace("GREETING: hello", "GREETING: from git", StringComparison.Ordinal) + "\n");
        var pushed = await author.CommitAndPushAsync("greeting from git");

        var result = await new GitOpsSourceSync(env).RunAsync(DeploymentSession.Open(_workspace.Combine("d")), env.Runner, new Dictionary<string, string> { ["web"] = "shop/web:abc" }, CancellationToken.None);

        Assert.Equal(pushed, await checkout.HeadAsync());
        Assert.Contains(DeploymentSession.Open(_workspace.Combine("d")).Config, e => e.Key == "GREETING" && e.Value == "from git");
        Assert.Equal(new Dictionary<string, string> { ["shop/web:local"] = "shop/web:abc" }, result.Sync.ImagePins());
        Assert.Equal(
            [
                $"git: stack+spec {checkout.Path}: main fast-forwarded {result.Pull.Repositories[0].Before![..12]} -> {pushed[..12]} from origin/main",
                "changed spec.yml (previous kept as spec.yml.bak)",
                "changed config.env (previous kept as config.env.bak)",
            ],
            result.Lines);
    }
}
