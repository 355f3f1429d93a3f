using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Files;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tests.Support;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Build;

[UnsupportedOSPlatform("windows")]
public sealed class ContainerBuilderTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _runner = new() { Strict = true };

    public void Dispose() => _workspace.Dispose();

    private Stack HelloStack()
    {
        Repository.CopyTree(Path.Combine(Repository.Root(), "stacks", "hello"), _workspace.Combine("hello"));
        return Stack.Load(_workspace.Combine("hello"), new DiskHostFiles(), new DiagnosticBag());
    }

    /// <summary>The sample stack with two containers built from Dockerfiles.</summary>
    private Stack ShopStack(string containers = "  - shop/web\n  - shop/worker\n")
    {
        SampleStack.Write(_workspace);
        _workspace.WriteFile("stack/stack.yml", $"name: shop\ncontainers:\n{containers}pods:\n  - web\n");
        _workspace.WriteFile("stack/container-build/shop-worker/Dockerfile", "FROM scratch\n");
        return Stack.Load(_workspace.Combine("stack"), new DiskHostFiles(), new DiagnosticBag());
    }

    private string BuildDir(string name) => _workspace.Combine("stack", "container-build", name);

    private static readonly StackRevision Revision = new("0123456789ab", RevisionKind.GitCommit, "git commit 0123456789ab", "0123456789abcdef");

    /// <summary>No image exists yet and tagging works, unless a test adds an earlier rule.</summary>
    private void DockerAnswers(string docker = "docker")
    {
        _runner.On(docker, "image", "inspect").Returns(1, stderr: "Error: No such image");
        _runner.On(docker, "tag").Returns(0);
    }

    private Task<IReadOnlyList<BuiltImage>> BuildAsync(Stack stack, BuildRequest? request = null, Action<string, string>? progress = null, string docker = "docker")
    {
        DockerAnswers(docker);
        request ??= new BuildRequest();
        return new ContainerBuilder(new Docker(_runner, docker), new Git(_runner)).BuildAsync(stack, request.Revision is null ? request with { Revision = Revision } : request, progress, CancellationToken.None);
    }

    private IReadOnlyList<string> BuildCalls() => _runner.Calls.Where(c => !c.Arguments.Take(2).SequenceEqual(["image", "inspect"]) && c.Arguments.FirstOrDefault() != "tag").Select(c => c.Display()).ToList();

    [Fact]
    public async Task A_build_script_runs_in_its_folder_with_the_immutable_tag_and_laconic_variables()
    {
        var stack = HelloStack();
        var directory = _workspace.Combine("hello", "container-build", "slipway-hello");
        var script = Path.Combine(directory, "build.sh");
        _runner.On(script).Returns(0);

        var built = await BuildAsync(stack);

        var call = _runner.Single(c => c.FileName == script);
        Assert.Empty(call.Arguments);
        Assert.Equal(directory, call.WorkingDirectory);
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["SLIPWAY_IMAGE_TAG"] = "slipway/hello:0123456789ab",
                ["SLIPWAY_BUILD_ARGS"] = "",
                ["SLIPWAY_FORCE_REBUILD"] = null,
                ["CERC_DEFAULT_CONTAINER_IMAGE_TAG"] = "slipway/hello:0123456789ab",
                ["CERC_CONTAINER_EXTRA_BUILD_ARGS"] = "",
                ["CERC_FORCE_REBUILD"] = null,
                ["CERC_CONTAINER_BASE_DIR"] = directory,
            },
            call.Environment);
        var image = Assert.Single(built);
        Assert.Equal(("slipway/hello", "slipway/hello:local", "slipway/hello:0123456789ab", false), (image.Container, image.StackImage, image.Reference, image.Reused));
        Assert.Equal("docker tag slipway/hello:0123456789ab slipway/hello:local", _runner.CallLines()[^1]);
    }

    [Fact]
    public async Task A_build_script_that_is_not_executable_is_reported_with_the_fix()
    {
        var stack = HelloStack();
        var script = _workspace.Combine("hello", "container-build", "slipway-hello", "build.sh");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Equal($"chmod +x {script}", ex.Hint);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_build_script_gets_force_rebuild_and_extra_arguments_as_variables()
    {
        var stack = HelloStack();
        _runner.On(Path.Combine(_workspace.Combine("hello", "container-build", "slipway-hello"), "build.sh")).Returns(0);

        await BuildAsync(stack, new BuildRequest { ForceRebuild = true, BuildArgs = ["B=2"], ExtraBuildArgs = "--build-arg A=1" });

        var environment = _runner.Single(c => c.FileName.EndsWith("build.sh", StringComparison.Ordinal)).Environment;
        Assert.Equal("true", environment["SLIPWAY_FORCE_REBUILD"]);
        Assert.Equal("true", environment["CERC_FORCE_REBUILD"]);
        Assert.Equal("--build-arg B=2 --build-arg A=1", environment["SLIPWAY_BUILD_ARGS"]);
        Assert.Equal("--build-arg B=2 --build-arg A=1", environment["CERC_CONTAINER_EXTRA_BUILD_ARGS"]);
    }

    [Fact]
    public async Task A_dockerfile_folder_is_built_with_the_immutable_tag_then_tagged_as_the_compose_files_name_it()
    {
        var stack = ShopStack();
        _runner.On("docker", "build").Returns(0);

        var built = await BuildAsync(stack);

        Assert.Equal(
            [
                "docker image inspect --format '{{.Id}}{{range .RepoTags}} {{.}}{{end}}' shop/web:0123456789ab shop/web:local",
                $"docker build --tag shop/web:0123456789ab {BuildDir("shop-web")}",
                "docker tag shop/web:0123456789ab shop/web:local",
                "docker image inspect --format '{{.Id}}{{range .RepoTags}} {{.}}{{end}}' shop/worker:0123456789ab shop/worker:local",
                $"docker build --tag shop/worker:0123456789ab {BuildDir("shop-worker")}",
                "docker tag shop/worker:0123456789ab shop/worker:local",
            ],
            _runner.CallLines());
        Assert.Equal(["shop/web:local", "shop/worker:local"], built.Select(b => b.StackImage));
        Assert.Equal(["shop/web:0123456789ab", "shop/worker:0123456789ab"], built.Select(b => b.Reference));
        Assert.Equal(BuildDir("shop-web"), _runner.Calls[1].WorkingDirectory);
    }

    [Fact]
    public async Task Force_rebuild_build_args_and_extra_build_arguments_go_before_the_folder()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "build").Returns(0);

        await BuildAsync(stack, new BuildRequest { ForceRebuild = true, BuildArgs = ["NOTE=two words"], ExtraBuildArgs = " --build-arg  VERSION=1.2 --pull " });

        var call = _runner.Single(c => c.Arguments[0] == "build");
        Assert.Equal(["build", "--tag", "shop/web:0123456789ab", "--no-cache", "--build-arg", "NOTE=two words", "--build-arg", "VERSION=1.2", "--pull", BuildDir("shop-web")], call.Arguments);
    }

    [Fact]
    public async Task The_docker_executable_can_be_replaced()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("/usr/local/bin/docker", "build").Returns(0);

        await BuildAsync(stack, docker: "/usr/local/bin/docker");

        Assert.All(_runner.Calls, c => Assert.Equal("/usr/local/bin/docker", c.FileName));
    }

    [Fact]
    public async Task Include_builds_only_the_named_containers()
    {
        var stack = ShopStack();
        _runner.On("docker", "build").Returns(0);

        var built = await BuildAsync(stack, new BuildRequest { Include = ["shop/worker"] });

        Assert.Equal(["shop/worker"], built.Select(b => b.Container));
        Assert.Equal([$"docker build --tag shop/worker:0123456789ab {BuildDir("shop-worker")}"], BuildCalls());
    }

    [Fact]
    public async Task Including_a_container_the_stack_does_not_list_is_not_found_and_builds_nothing()
    {
        var stack = ShopStack();

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack, new BuildRequest { Include = ["shop/web", "shop/db"] }));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("shop/db", ex.Message);
        Assert.Equal("containers: shop/web, shop/worker", ex.Hint);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_container_without_a_build_folder_is_not_found()
    {
        var stack = ShopStack("  - shop/web\n  - shop/cache\n");
        _runner.On("docker", "build").Returns(0);

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("container-build/shop-cache/", ex.Message);
        Assert.Empty(_runner.Calls); // checked before the first build starts
    }

    [Fact]
    public async Task A_build_folder_without_dockerfile_or_build_script_is_not_found()
    {
        var stack = ShopStack("  - shop/empty\n");
        Directory.CreateDirectory(BuildDir("shop-empty"));

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.NotFound, ex.Reason);
        Assert.Contains("neither build.sh nor Dockerfile", ex.Message);
        Assert.Empty(_runner.Calls);
    }

    [Fact]
    public async Task A_failing_build_is_a_deployment_failure_with_its_output_and_stops_the_remaining_builds()
    {
        var stack = ShopStack();
        _runner.On("docker", "build").Returns(1, stderr: "Step 2/5 : RUN make\nmake: *** No rule to make target\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("building shop/web failed (exit code 1)", ex.Message);
        Assert.Contains("No rule to make target", ex.Message);
        Assert.Single(BuildCalls());
    }

    [Fact]
    public async Task A_missing_docker_is_a_missing_prerequisite()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "image").Throws(new ToolNotFoundException("docker"));

        var ex = await Assert.ThrowsAsync<ToolNotFoundException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
    }

    [Fact]
    public async Task Build_output_lines_reach_the_progress_callback_with_the_container_name()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "build").Returns(0, "Step 1/1 : FROM scratch\n", "#1 DONE\n");
        var lines = new List<(string, string)>();

        await BuildAsync(stack, progress: (container, line) => lines.Add((container, line)));

        Assert.Equal([("shop/web", "Step 1/1 : FROM scratch"), ("shop/web", "#1 DONE")], lines);
    }

    [Fact]
    public async Task An_image_whose_exact_tag_exists_is_not_rebuilt_but_still_tagged_for_the_compose_files()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "image", "inspect").Returns(1, "sha256:abc shop/web:0123456789ab\n", "Error: No such image: shop/web:local\n");
        var lines = new List<string>();

        var built = await BuildAsync(stack, progress: (_, line) => lines.Add(line));

        Assert.Equal(
            ["docker image inspect --format '{{.Id}}{{range .RepoTags}} {{.}}{{end}}' shop/web:0123456789ab shop/web:local", "docker tag shop/web:0123456789ab shop/web:local"],
            _runner.CallLines());
        Assert.True(Assert.Single(built).Reused);
        Assert.Contains("shop/web:0123456789ab exists; not rebuilt (--force-rebuild builds it again)", lines);
    }

    [Fact]
    public async Task An_image_the_stack_tag_already_names_is_neither_rebuilt_nor_tagged_again()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "image", "inspect").Returns(0, "sha256:abc shop/web:0123456789ab shop/web:local\n");

        var built = await BuildAsync(stack);

        Assert.Equal(["docker image inspect --format '{{.Id}}{{range .RepoTags}} {{.}}{{end}}' shop/web:0123456789ab shop/web:local"], _runner.CallLines());
        Assert.True(Assert.Single(built).Reused);
    }

    [Fact]
    public async Task An_image_whose_stack_tag_names_another_image_is_tagged_again()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "image", "inspect").Returns(0, "sha256:abc shop/web:0123456789ab\nsha256:old shop/web:local\n");
        _runner.On("docker", "tag").Returns(0);

        await BuildAsync(stack);

        Assert.Equal("docker tag shop/web:0123456789ab shop/web:local", _runner.CallLines()[^1]);
    }

    [Fact]
    public async Task Force_rebuild_builds_even_when_the_exact_tag_exists()
    {
        var stack = ShopStack("  - shop/web\n");
        _runner.On("docker", "image", "inspect").Returns(0, "sha256:abc\n");
        _runner.On("docker", "build").Returns(0);

        var built = await BuildAsync(stack, new BuildRequest { ForceRebuild = true });

        Assert.Equal(
            [$"docker build --tag shop/web:0123456789ab --no-cache {BuildDir("shop-web")}", "docker tag shop/web:0123456789ab shop/web:local"],
            _runner.CallLines());
        Assert.False(Assert.Single(built).Reused);
    }

    [Fact]
    public async Task A_container_named_with_a_tag_keeps_that_tag_for_compose_and_gets_the_revision_as_its_immutable_tag()
    {
        var stack = ShopStack("  - shop/web:1.2\n");
        _runner.On("docker", "build").Returns(0);

        var image = Assert.Single(await BuildAsync(stack));

        Assert.Equal(("shop/web:1.2", "shop/web:0123456789ab"), (image.StackImage, image.Reference));
        Assert.Equal("docker tag shop/web:0123456789ab shop/web:1.2", _runner.CallLines()[^1]);
    }

    [Fact]
    public async Task A_build_script_that_does_not_tag_the_immutable_reference_is_told_which_variable_to_use()
    {
        var stack = HelloStack();
        _runner.On(_workspace.Combine("hello", "container-build", "slipway-hello", "build.sh")).Returns(0);
        _runner.On("docker", "tag").Returns(1, stderr: "Error response from daemon: No such image: slipway/hello:0123456789ab");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Contains("No such image", ex.Message);
        Assert.Equal("the build.sh of slipway/hello must tag the image it builds with $SLIPWAY_IMAGE_TAG (slipway/hello:0123456789ab)", ex.Hint);
    }

    [Theory]
    [InlineData("VERSION")]
    [InlineData("=1")]
    public async Task A_build_arg_without_key_and_value_is_invalid_input_and_builds_nothing(string arg)
    {
        var stack = ShopStack("  - shop/web\n");

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack, new BuildRequest { BuildArgs = [arg] }));

        Assert.Equal(FailureReason.InvalidInput, ex.Reason);
        Assert.Contains($"--build-arg needs KEY=VALUE, not '{arg}'", ex.Message);
        Assert.Empty(_runner.Calls);
    }

    [Theory]
    [InlineData("shop/web", "shop/web:local")]
    [InlineData("shop/web:local", "shop/web:local")]
    [InlineData("shop/web:1.2", "shop/web:1.2")]
    [InlineData("registry.local:5000/shop/web", "registry.local:5000/shop/web:local")]
    [InlineData("registry.local:5000/shop/web:v2", "registry.local:5000/shop/web:v2")]
    public void The_local_tag_is_added_only_when_the_container_has_no_tag(string container, string tag)
    {
        Assert.Equal(tag, ContainerBuilder.LocalTag(container));
    }
}
