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

    /// <summary>The script exits 0; afterwards the images <paramref name="tags"/> exist (one id for all).</summary>
    private void ScriptMakes(string script, params string[] tags)
    {
        _runner.On(script).Returns(0);
        _runner.On("docker", "image", "inspect").Returns(1, stderr: "Error: No such image").Once();
        _runner.On("docker", "image", "inspect").Returns(tags.Length == 0 ? 1 : 0, stdout: tags.Length == 0 ? "" : "sha256:1 " + string.Join(' ', tags) + "\n");
    }

    [Fact]
    public async Task A_build_script_runs_in_its_folder_with_every_variable_of_laconic_sos_contract()
    {
        var stack = HelloStack();
        var directory = _workspace.Combine("hello", "container-build", "slipway-hello");
        var script = Path.Combine(directory, "build.sh");
        ScriptMakes(script, "slipway/hello:0123456789ab");
        _runner.On("docker", "tag").Returns(0);

        var built = await new ContainerBuilder(new Docker(_runner, "docker"), new Git(_runner)).BuildAsync(stack,
            new BuildRequest { Revision = Revision, RepositoryBase = "/home/me/cerc", Debug = true }, null, CancellationToken.None);

        var call = _runner.Single(c => c.FileName == script);
        Assert.Empty(call.Arguments);
        Assert.Equal(directory, call.WorkingDirectory);
        var env = call.Environment!;
        var (uid, gid) = BuildContract.HostIds();
        Assert.Equal(
            ("slipway/hello:0123456789ab", "", null, "slipway/hello:local", "", null, "/home/me/cerc", uid, gid, "0", "true"),
            (env["SLIPWAY_IMAGE_TAG"], env["SLIPWAY_BUILD_ARGS"], env["SLIPWAY_FORCE_REBUILD"], env["CERC_DEFAULT_CONTAINER_IMAGE_TAG"], env["CERC_CONTAINER_EXTRA_BUILD_ARGS"],
                env["CERC_FORCE_REBUILD"], env["CERC_REPO_BASE_DIR"], env["CERC_HOST_UID"], env["CERC_HOST_GID"], env["DOCKER_BUILDKIT"], env["CERC_SCRIPT_DEBUG"]));
        Assert.Matches("^[0-9]+$", uid);
        // The stack ships no build-base.sh: the base dir was a temporary view of container-build/ with Slipway's, gone now.
        Assert.NotEqual(Path.GetDirectoryName(directory), env["CERC_CONTAINER_BASE_DIR"]);
        Assert.False(Directory.Exists(env["CERC_CONTAINER_BASE_DIR"]));
        Assert.True(Directory.Exists(directory));
        var image = Assert.Single(built);
        Assert.Equal(("slipway/hello", "slipway/hello:local", "slipway/hello:0123456789ab", false, null), (image.Container, image.StackImage, image.Reference, image.Reused, image.Note));
        Assert.Equal("docker tag slipway/hello:0123456789ab slipway/hello:local", _runner.CallLines()[^1]);
    }

    [Fact]
    public void The_contract_base_dir_is_the_stacks_container_build_root_when_it_ships_build_base_sh()
    {
        var root = _workspace.Combine("so", "container-build");
        _workspace.WriteFile("so/container-build/build-base.sh", "# the stack's own\n");

        using var contract = BuildContract.For(root);

        Assert.Equal(root, contract.BaseDirectory);
        Assert.True(contract.ShipsBuildBase);
    }

    [Fact]
    public void Without_its_own_build_base_sh_the_base_dir_shows_every_build_folder_plus_slipways_build_base_and_default_build()
    {
        _workspace.WriteFile("so/container-build/cerc-foo/Dockerfile", "FROM scratch\n");
        _workspace.WriteFile("so/container-build/default-build.sh", "# the stack's own\n");

        string view;
        using (var contract = BuildContract.For(_workspace.Combine("so", "container-build")))
        {
            view = contract.BaseDirectory;
            Assert.False(contract.ShipsBuildBase);
            Assert.Equal("FROM scratch\n", File.ReadAllText(Path.Combine(view, "cerc-foo", "Dockerfile")));
            Assert.Equal("# the stack's own\n", File.ReadAllText(Path.Combine(view, "default-build.sh")));
            Assert.Contains("build_command_args+=\" --no-cache\"", File.ReadAllText(Path.Combine(view, "build-base.sh")), StringComparison.Ordinal);
        }

        Assert.False(Directory.Exists(view));
        Assert.True(File.Exists(_workspace.Combine("so", "container-build", "cerc-foo", "Dockerfile"))); // the links went, not their targets
    }

    [Fact]
    public async Task A_script_that_tags_only_the_local_image_gets_that_image_tagged_immutable_and_says_so()
    {
        var stack = HelloStack();
        ScriptMakes(_workspace.Combine("hello", "container-build", "slipway-hello", "build.sh"), "slipway/hello:local");

        var image = Assert.Single(await BuildAsync(stack));

        Assert.Equal("slipway/hello:0123456789ab", image.Reference);
        Assert.Equal("its build.sh tagged only slipway/hello:local; Slipway tagged that image slipway/hello:0123456789ab", image.Note);
        Assert.Equal("docker tag slipway/hello:local slipway/hello:0123456789ab", _runner.CallLines()[^1]); // and not tagged back
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
        _runner.On("docker", "image", "inspect").Returns(0, stdout: "sha256:1 slipway/hello:0123456789ab\n");

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
    public async Task A_build_script_that_exits_0_but_makes_no_image_is_a_failure_naming_both_tags()
    {
        var stack = HelloStack();
        ScriptMakes(_workspace.Combine("hello", "container-build", "slipway-hello", "build.sh"));

        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack));

        Assert.Equal(FailureReason.DeploymentFailed, ex.Reason);
        Assert.Equal("the build.sh of slipway/hello succeeded but made no image: neither slipway/hello:0123456789ab nor slipway/hello:local exists", ex.Message);
        Assert.Equal("tag the image it builds with $CERC_DEFAULT_CONTAINER_IMAGE_TAG or $SLIPWAY_IMAGE_TAG", ex.Hint);
    }

    [Fact]
    public async Task Exclude_leaves_out_the_named_containers_and_an_unknown_name_is_not_found()
    {
        var stack = ShopStack();
        _runner.On("docker", "build").Returns(0);

        var built = await BuildAsync(stack, new BuildRequest { Exclude = ["shop/web"] });

        Assert.Equal(["shop/worker"], built.Select(b => b.Container));
        var ex = await Assert.ThrowsAsync<SlipwayException>(() => BuildAsync(stack, new BuildRequest { Exclude = ["shop/nope"] }));
        Assert.Equal("--exclude names shop/nope, which the stack does not list under containers", ex.Message);
    }

    [Fact]
    public async Task Continue_on_error_builds_the_next_image_after_a_failure_and_reports_both()
    {
        var stack = ShopStack();
        _runner.OnContaining(BuildDir("shop-web")).Returns(1, stderr: "boom");
        _runner.On("docker", "build").Returns(0);
        DockerAnswers();

        var results = await new ContainerBuilder(new Docker(_runner, "docker"), new Git(_runner)).BuildAllAsync(stack,
            new BuildRequest { Revision = Revision, ContinueOnError = true }, null, CancellationToken.None);

        Assert.Equal(["shop/worker"], results.Built.Select(b => b.Container));
        var failure = Assert.Single(results.Failed);
        Assert.Equal("shop/web", failure.Container);
        Assert.Contains("building shop/web failed (exit code 1)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_without_a_build_folder_is_built_from_its_dev_root_repository_like_laconic_sos_default_build()
    {
        var stack = ShopStack("  - shop/worker\n  - cerc/act-runner\n");
        var repo = _workspace.Combine("cerc", "act-runner");
        _workspace.WriteFile("cerc/act-runner/Dockerfile", "FROM scratch\n");
        _runner.On("docker", "build").Returns(0);

        var built = await BuildAsync(stack, new BuildRequest { Include = ["cerc/act-runner"], RepositoryBase = _workspace.Combine("cerc") });

        Assert.Equal("cerc/act-runner:0123456789ab", Assert.Single(built).Reference);
        Assert.Contains($"docker build --tag cerc/act-runner:0123456789ab --file {repo}/Dockerfile {repo}", BuildCalls());
        Assert.True(ContainerBuilder.CanBuild(stack, "cerc/act-runner", _workspace.Combine("cerc")));
        Assert.False(ContainerBuilder.CanBuild(stack, "cerc/act-runner", _workspace.Combine("elsewhere")));
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
