using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Tests.Support;

namespace Slipway.Infrastructure.Tests.Operations;

[UnsupportedOSPlatform("windows")]
public sealed class DeployInitTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new();

    public DeployInitTests()
    {
        SampleStack.Write(_workspace);
        File.Delete(_workspace.Combine("spec.yml"));
    }

    public void Dispose() => _workspace.Dispose();

    private Task<IReadOnlyList<Diagnostic>> InitAsync(InitRequest request) =>
        new DeployInit(SampleStack.Environment(_workspace, _runner)).RunAsync(request, CancellationToken.None);

    private static InitRequest Request(string output = "new-spec.yml") => new() { StackArgument = "./stack", Output = output };

    private Spec Parse(string relative)
    {
        var diagnostics = new DiagnosticBag();
        var spec = SpecParser.Parse(_workspace.ReadFile(relative), _workspace.Combine(relative), diagnostics);
        Assert.DoesNotContain(diagnostics.Items, d => d.IsError);
        return spec;
    }

    private static Dictionary<string, string> Config(Spec spec) => spec.Config.ToDictionary(c => c.Key, c => c.Value);

    [Fact]
    public async Task Init_writes_a_spec_that_parses_back_with_the_stack_ports_and_volumes()
    {
        await InitAsync(Request());

        var spec = Parse("new-spec.yml");
        Assert.Equal("./stack", spec.Stack?.Value);
        Assert.Equal(DeployTarget.Compose, spec.DeployTo);
        var ports = Assert.Single(spec.Ports);
        Assert.Equal("web", ports.Service);
        Assert.Equal(["80"], ports.Ports.Select(p => p.Value));
        var volume = Assert.Single(spec.Volumes);
        Assert.Equal(("web-data", "./data/web-data"), (volume.Name, volume.Path));
    }

    [Fact]
    public async Task Init_never_overwrites_an_existing_spec()
    {
        _workspace.WriteFile("new-spec.yml", "# my spec\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request()));

        Assert.Equal(FailureReason.Conflict, ex.Reason);
        Assert.Equal("# my spec\n", _workspace.ReadFile("new-spec.yml"));
    }

    [Fact]
    public async Task Init_into_a_missing_folder_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request("no-such-dir/spec.yml")));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
    }

    [Fact]
    public async Task Init_of_a_missing_stack_is_not_found_and_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request() with { StackArgument = "./nowhere" }));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task K8s_without_a_kube_config_is_invalid_input()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request() with { DeployTo = DeployTarget.K8s }));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Contains("--kube-config", ex.Message);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task K8s_with_a_kube_config_writes_it_into_the_spec()
    {
        await InitAsync(Request() with { DeployTo = DeployTarget.K8s, KubeConfig = "/home/me/.kube/config" });

        var spec = Parse("new-spec.yml");
        Assert.Equal(DeployTarget.K8s, spec.DeployTo);
        Assert.Equal("/home/me/.kube/config", spec.KubeConfig?.Value);
    }

    [Theory]
    [InlineData(DeployTarget.Compose)]
    [InlineData(DeployTarget.K8sKind)]
    public async Task A_kube_config_is_refused_for_other_targets(DeployTarget target)
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request() with { DeployTo = target, KubeConfig = "kubeconfig.yml" }));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task An_image_registry_is_refused_for_compose()
    {
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request() with { ImageRegistry = "registry.local:5000" }));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
    }

    [Fact]
    public async Task A_config_file_is_named_in_env_files_and_its_secret_values_never_reach_the_spec()
    {
        _workspace.WriteFile("host.env", "DB_PASSWORD=hunter2-sekrit\nONLY_FILE=file-sekrit\n");

        var warnings = await InitAsync(Request() with { ConfigFile = "host.env", Config = [new("GREETING", "from-flag")] });

        var text = File.ReadAllText(_workspace.Combine("new-spec.yml"));
        Assert.DoesNotContain("sekrit", text);
        Assert.Contains("env-files:\n- \"./host.env\"", text);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "from-flag" }, Config(Parse("new-spec.yml")));
        Assert.Contains(warnings, w => w.Message.Contains("not copied into", StringComparison.Ordinal) && w.Message.Contains("env-files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_config_file_is_invalid_input_and_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => InitAsync(Request() with { ConfigFile = "missing.env" }));

        Assert.Equal(DiagnosticCodes.NotFound, Assert.Single(ex.Diagnostics).Code);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task An_invalid_config_key_is_invalid_input()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => InitAsync(Request() with { Config = [new("BAD-KEY", "x")] }));

        Assert.Contains("BAD-KEY", Assert.Single(ex.Diagnostics).Message);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task The_init_hook_output_is_merged_into_the_spec_and_typed_config_wins()
    {
        var hook = SampleStack.WriteHook(_workspace, "init");
        _runner.On(hook).Returns(0, "config:\n  GREETING: from-hook\n  HOOK_ONLY: yes-hook\nvolumes:\n  web-data: /srv/web-data\n");

        await InitAsync(Request() with { Config = [new("GREETING", "typed")] });

        var spec = Parse("new-spec.yml");
        Assert.Equal("typed", Config(spec)["GREETING"]);
        Assert.Equal("yes-hook", Config(spec)["HOOK_ONLY"]);
        Assert.Equal("/srv/web-data", Assert.Single(spec.Volumes).Path);
    }

    [Fact]
    public async Task The_init_hook_gets_the_init_context()
    {
        var hook = SampleStack.WriteHook(_workspace, "init");

        await InitAsync(Request());

        var call = _runner.Single(c => c.FileName == hook);
        Assert.Equal("init", call.Environment["SLIPWAY_STAGE"]);
        Assert.Equal(_workspace.Combine("new-spec.yml"), call.Environment["SLIPWAY_SPEC"]);
        Assert.Equal(_workspace.Combine("stack"), call.Environment["SLIPWAY_STACK"]);
        Assert.Equal(_workspace.Combine("stack"), call.WorkingDirectory);
        Assert.Null(call.Environment["SLIPWAY_DEPLOYMENT_DIR"]);
    }

    [Fact]
    public async Task A_failing_init_hook_fails_with_its_output_and_writes_no_spec()
    {
        var hook = SampleStack.WriteHook(_workspace, "init");
        _runner.On(hook).Returns(2, stderr: "missing tool\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => InitAsync(Request()));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("missing tool", ex.Message);
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task An_init_hook_printing_something_other_than_a_mapping_is_invalid_input()
    {
        var hook = SampleStack.WriteHook(_workspace, "init");
        _runner.On(hook).Returns(0, "- just\n- a list\n");

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => InitAsync(Request()));

        Assert.Contains(ex.Diagnostics, d => d.Location?.File == hook + " (output)");
        Assert.False(File.Exists(_workspace.Combine("new-spec.yml")));
    }

    [Fact]
    public async Task A_nearby_stack_is_referenced_relative_to_the_spec_folder_not_the_current_directory()
    {
        Directory.CreateDirectory(_workspace.Combine("ops"));

        await InitAsync(Request("ops/spec.yml"));

        var spec = Parse("ops/spec.yml");
        Assert.Equal("../stack", spec.Stack?.Value);
        Assert.Equal(_workspace.Combine("stack"), StackResolver.Resolve(spec.Stack!.Value, spec.Directory, [], new DiskHostFiles()));
    }

    [Fact]
    public async Task A_stack_far_from_the_spec_is_referenced_by_its_absolute_path()
    {
        Directory.CreateDirectory(_workspace.Combine("ops", "specs"));

        await InitAsync(Request("ops/specs/spec.yml"));

        var spec = Parse("ops/specs/spec.yml");
        Assert.Equal(_workspace.Combine("stack"), spec.Stack?.Value);
        Assert.Equal(_workspace.Combine("stack"), StackResolver.Resolve(spec.Stack!.Value, spec.Directory, [], new DiskHostFiles()));
    }

    [Fact]
    public async Task A_spec_written_by_init_can_be_created_from_another_current_directory()
    {
        Directory.CreateDirectory(_workspace.Combine("ops"));
        await InitAsync(Request("ops/spec.yml"));
        Directory.CreateDirectory(_workspace.Combine("elsewhere"));
        var env = SampleStack.Environment(_workspace, _runner) with { CurrentDirectory = _workspace.Combine("elsewhere") };

        var result = await new DeployCreate(env).RunAsync(new CreateRequest { SpecFile = "../ops/spec.yml", DeploymentDirectory = "../deployment" }, CancellationToken.None);

        Assert.Equal(_workspace.Combine("stack"), result.Deployment.StackSource);
        Assert.True(File.Exists(_workspace.Combine("deployment", "compose", "docker-compose-web.yml")));
    }
}
