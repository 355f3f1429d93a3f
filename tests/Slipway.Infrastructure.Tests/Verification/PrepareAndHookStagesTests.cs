using Slipway.Core.Verification;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Pipeline.Stages;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Tools;
using Slipway.Infrastructure.Verification;

namespace Slipway.Infrastructure.Tests.Verification;

public sealed class PrepareAndHookStagesTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Hooks_of_Ds_spec_run_in_D_when_the_git_tracked_spec_is_unknown()
    {
        var d = SampleDeployment.Write(_workspace);
        _workspace.WriteFile("deployment/spec.yml", "stack: ./stack\nhooks:\n  post-deploy: echo \"$GREETING from $SLIPWAY_HOOK\" > hook-ran.txt\n");

        var results = await SpecHookRunner.RunAsync(DeploymentSession.Open(d), SpecHookPhase.PostDeploy, new SystemProcessRunner(), null, CancellationToken.None);

        Assert.Single(results);
        Assert.Equal("hello from post-deploy\n", File.ReadAllText(Path.Combine(d, "hook-ran.txt")));
        Assert.Empty(await SpecHookRunner.RunAsync(DeploymentSession.Open(d), SpecHookPhase.PreDeploy, new SystemProcessRunner(), null, CancellationToken.None));
    }

    [Fact]
    public async Task Prepare_checks_D_and_the_env_files_of_the_git_tracked_spec()
    {
        var d = SampleDeployment.Write(_workspace);
        var source = _workspace.WriteFile("ops/spec.yml", "stack: ./stack\nenv-files: [host.env]\n");
        var envFile = _workspace.WriteFile("ops/host.env", "TOKEN=x\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(envFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        _workspace.WriteFile("deployment/deployment.yml", $"cluster-id: {SampleDeployment.Id}\ndeployment-id: {SampleDeployment.Id}\nstack-source: \"/stacks/shop\"\nspec-source: \"{source}\"\n");
        _workspace.WriteFile("deployment/compose/docker-compose-worker.yml", "services:\n  worker:\n    image: shop/web:${TAG}\n");
        var runner = new FakeProcessRunner { DefaultExitCode = 1 };

        var problems = await PrepareStage.ProblemsAsync(DeploymentSession.Open(d), new Git(runner), CancellationToken.None);

        Assert.Equal(
            [
                (true, "config 'TAG' is required by the stack but not set"),
                (false, $"env file {envFile} is readable by every user of this machine"),
            ],
            problems.Select(p => (p.IsError, p.Message)));
    }
}
