using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.Tests.Operations;

/// <summary>Where restart pulls and syncs from with laconic-so's --stack-path / --spec-file, and its deployment/spec.yml discovery.</summary>
public sealed class RestartSourcesTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly List<string> _said = [];

    public void Dispose() => _workspace.Dispose();

    /// <summary>D whose stack-source is stacks/shop in the operator repository ops/ (a .git folder marks it), with or without a spec-source.</summary>
    private (Restart Restart, DeploymentSession Session) Deployment(string? specSource)
    {
        Directory.CreateDirectory(_workspace.Combine("ops", ".git"));
        _workspace.WriteFile("ops/stacks/shop/stack.yml", "name: shop\npods: [web]\n");
        _workspace.WriteFile("deployment/deployment.yml", "cluster-id: slipway-t3st01ab\ndeployment-id: slipway-t3st01ab\nstack-source: \"" + _workspace.Combine("ops", "stacks", "shop") + "\"\n"
            + (specSource is null ? "" : $"spec-source: \"{specSource}\"\n"));
        _workspace.WriteFile("deployment/spec.yml", "stack: ./stack\n");
        _workspace.WriteFile("deployment/stack.yml", "name: shop\npods: [web]\n");
        var env = TestEnvironment.Create(_workspace.Path, new FakeProcessRunner()) with { Reporter = new Said(_said) };
        return (new Restart(env), DeploymentSession.Open(_workspace.Combine("deployment")));
    }

    [Fact]
    public void Without_a_spec_source_laconic_sos_deployment_spec_yml_at_the_repository_root_is_synced_from()
    {
        var spec = _workspace.WriteFile("ops/deployment/spec.yml", "stack: ../stacks/shop\n");
        var (restart, session) = Deployment(specSource: null);

        var (stack, found) = restart.Sources(session, null, null);

        Assert.Null(stack);
        Assert.Equal(spec, found);
        Assert.Contains($"restart: syncing D from {spec} (laconic-so's deployment/spec.yml in the stack's repository; deployment.yml has no spec-source)", _said);
    }

    [Fact]
    public void A_recorded_spec_source_wins_over_the_discovery_and_nothing_is_said()
    {
        _workspace.WriteFile("ops/deployment/spec.yml", "stack: ../stacks/shop\n");
        var (restart, session) = Deployment(specSource: _workspace.Combine("elsewhere", "spec.yml"));

        Assert.Equal((null, null), restart.Sources(session, null, null));
        Assert.Empty(_said);
    }

    [Fact]
    public void A_relative_spec_file_is_taken_from_the_root_of_the_stack_path_repository()
    {
        var (restart, session) = Deployment(specSource: null);
        Directory.CreateDirectory(_workspace.Combine("other", ".git"));
        Directory.CreateDirectory(_workspace.Combine("other", "stacks", "shop"));
        var spec = _workspace.WriteFile("other/prod/spec.yml", "stack: ../stacks/shop\n");

        var (stack, found) = restart.Sources(session, "other/stacks/shop", "prod/spec.yml");
        var missing = Assert.Throws<SlipwayException>(() => restart.Sources(session, null, "prod/spec.yml"));

        Assert.Equal(_workspace.Combine("other", "stacks", "shop"), stack);
        Assert.Equal(spec, found);
        Assert.Equal(FailureReason.NotFound, missing.Reason);
        Assert.Contains($"a relative --spec-file is taken from the stack's repository root, {_workspace.Combine("ops")}", missing.Hint);
    }

    private sealed class Said(List<string> lines) : Reporting.IReporter
    {
        public void Info(string message) => lines.Add(message);

        public void Warn(string message) => lines.Add(message);

        public void Detail(string message) => lines.Add(message);

        public Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work) => work(_ => { });
    }
}
