using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;
using Slipway.Infrastructure.Files;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Stacks;

public sealed class StackTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Self_contained_stack_finds_artifacts_inside_its_directory()
    {
        _workspace.WriteFile("mystack/stack.yml", "name: mine\npods: [web]\njobs: [migrate]\n");
        var compose = _workspace.WriteFile("mystack/compose/docker-compose-web.yml", "services: {}\n");
        var job = _workspace.WriteFile("mystack/compose-jobs/docker-compose-migrate.yml", "services: {}\n");
        _workspace.WriteFile("mystack/config/web/settings.env", "A=1\n");
        _workspace.WriteFile("mystack/container-build/cerc-web/Dockerfile", "FROM scratch\n");

        var stack = Stack.Load(_workspace.Combine("mystack"), new DiskHostFiles(), new DiagnosticBag());

        Assert.Equal("mine", stack.Name);
        Assert.Equal(compose, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
        Assert.Equal(job, stack.JobFile("migrate"));
        Assert.Equal(_workspace.Combine("mystack", "config"), stack.ConfigRoot);
        Assert.Equal(_workspace.Combine("mystack", "container-build", "cerc-web"), stack.ContainerBuildDirectory("cerc/web:local"));
        Assert.Equal(_workspace.Combine("mystack", "hooks"), stack.HooksDirectory);
    }

    [Fact]
    public void Laconic_layout_finds_artifacts_two_levels_above_the_stack_directory()
    {
        _workspace.WriteFile("data/stacks/test/stack.yml", "pods: [test]\njobs: [setup]\n");
        var compose = _workspace.WriteFile("data/compose/docker-compose-test.yml", "services: {}\n");
        var job = _workspace.WriteFile("data/compose-jobs/docker-compose-setup.yml", "services: {}\n");
        _workspace.WriteFile("data/config/test/script.sh", "#!/bin/sh\n");
        _workspace.WriteFile("data/container-build/cerc-test-container/build.sh", "#!/bin/sh\n");

        var stack = Stack.Load(_workspace.Combine("data", "stacks", "test"), new DiskHostFiles(), new DiagnosticBag());

        Assert.Equal("test", stack.Name);
        Assert.Equal(compose, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
        Assert.Equal(job, stack.JobFile("setup"));
        Assert.Equal(_workspace.Combine("data", "config"), stack.ConfigRoot);
        Assert.Equal(_workspace.Combine("data", "container-build", "cerc-test-container"), stack.ContainerBuildDirectory("cerc/test-container"));
    }

    [Fact]
    public void A_file_inside_the_stack_wins_over_the_laconic_layout()
    {
        _workspace.WriteFile("data/stacks/test/stack.yml", "pods: [test]\n");
        _workspace.WriteFile("data/compose/docker-compose-test.yml", "services: {}\n");
        var inside = _workspace.WriteFile("data/stacks/test/compose/docker-compose-test.yml", "services: {}\n");

        var stack = Stack.Load(_workspace.Combine("data", "stacks", "test"), new DiskHostFiles(), new DiagnosticBag());

        Assert.Equal(inside, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
    }

    [Fact]
    public void Yaml_extension_is_accepted_for_stack_and_compose_files()
    {
        _workspace.WriteFile("s/stack.yaml", "pods: [web]\n");
        var compose = _workspace.WriteFile("s/compose/docker-compose-web.yaml", "services: {}\n");

        var stack = Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag());

        Assert.Equal(compose, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
    }

    [Fact]
    public void Missing_artifacts_are_null()
    {
        _workspace.WriteFile("s/stack.yml", "pods: [web]\n");

        var stack = Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag());

        Assert.Null(stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
        Assert.Null(stack.JobFile("web"));
        Assert.Null(stack.ConfigRoot);
        Assert.Null(stack.ContainerBuildDirectory("cerc/web"));
    }

    [Theory]
    [InlineData("mobymask-app", "repos/mobymask-v2/mobymask-app/docker-compose.yml")]
    [InlineData(null, "repos/mobymask-v2/docker-compose.yml")]
    public void External_pod_compose_file_is_found_in_the_cloned_repository(string? path, string expected)
    {
        _workspace.WriteFile("s/stack.yml", "pods: [web]\n");
        var file = _workspace.WriteFile(expected, "services: {}\n");
        var stack = Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag());
        var pod = new PodReference("mobymask", new SourceLocation("stack.yml", 1, 1)) { Repository = "github.com/cerc-io/mobymask-v2/", Path = path };

        Assert.Equal(file, stack.ComposeFile(pod, _workspace.Combine("repos")));
    }

    [Theory]
    [InlineData("git.vdb.to/cerc-io/webapp-deployment-status-api", "./", "repos/webapp-deployment-status-api/docker-compose.yml")] // webapp-deployer-backend
    [InlineData("test-restart-pod-a", ".", "repos/test-restart-pod-a/docker-compose.yml")]                                        // test-restart-multi
    [InlineData("cerc-io/hosting", "gitea", "repos/hosting/gitea/docker-compose.yml")]                                            // package-registry
    public void Laconic_sos_bundled_repository_pods_are_found_in_the_dev_root(string repository, string path, string expected)
    {
        _workspace.WriteFile("s/stack.yml", "pods: [web]\n");
        var file = _workspace.WriteFile(expected, "services: {}\n");
        var stack = Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag());
        var pod = new PodReference("p", new SourceLocation("stack.yml", 1, 1)) { Repository = repository, Path = path };

        Assert.Equal(Path.GetFullPath(file), Path.GetFullPath(stack.ComposeFile(pod, _workspace.Combine("repos"))!));
    }

    [Fact]
    public void Stack_name_defaults_to_the_directory_name()
    {
        _workspace.WriteFile("fixturenet/stack.yml", "pods: [web]\n");

        Assert.Equal("fixturenet", Stack.Load(_workspace.Combine("fixturenet"), new DiskHostFiles(), new DiagnosticBag()).Name);
    }

    [Fact]
    public void Directory_without_stack_yml_is_not_found_with_a_hint()
    {
        Directory.CreateDirectory(_workspace.Combine("empty"));

        var error = Assert.Throws<SlipwayException>(() => Stack.Load(_workspace.Combine("empty"), new DiskHostFiles(), new DiagnosticBag()));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Equal($"stack.yml is missing from stack directory {_workspace.Combine("empty")}", error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Missing_directory_is_not_found()
    {
        var error = Assert.Throws<SlipwayException>(() => Stack.Load(_workspace.Combine("nope"), new DiskHostFiles(), new DiagnosticBag()));

        Assert.Equal(FailureReason.NotFound, error.Reason);
        Assert.Equal($"stack {_workspace.Combine("nope")} does not exist", error.Message);
    }

    [Fact]
    public void Invalid_stack_yml_throws_every_error_with_its_location()
    {
        _workspace.WriteFile("s/stack.yml", "pod: [web]\n");

        var error = Assert.Throws<InvalidInputException>(() => Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag()));

        Assert.Equal(2, error.Diagnostics.Count(d => d.IsError));
        Assert.All(error.Diagnostics, d => Assert.Equal(_workspace.Combine("s", "stack.yml"), d.Location!.File));
    }

    [Theory]
    [InlineData("cerc/test-container", "cerc-test-container")]
    [InlineData("cerc/test-container:local", "cerc-test-container")]
    [InlineData("localhost:5000/web", "localhost:5000-web")]
    [InlineData("web", "web")]
    public void Container_directory_name_drops_the_tag_and_replaces_slashes(string container, string expected)
    {
        Assert.Equal(expected, Stack.ContainerDirectoryName(container));
    }

    [Fact]
    public void An_external_stack_falls_back_to_laconic_sos_data_folder_for_what_it_does_not_have()
    {
        _workspace.WriteFile("ext/stack-orchestrator/stacks/mine/stack.yml", "pods: [own, shared]\njobs: [seed]\ncontainers: [cerc/shared]\n");
        var own = _workspace.WriteFile("ext/stack-orchestrator/compose/docker-compose-own.yml", "services: {}\n");
        var shared = _workspace.WriteFile("laconic/data/compose/docker-compose-shared.yml", "services: {}\n");
        _workspace.WriteFile("laconic/data/compose/docker-compose-own.yml", "services: {}\n");
        var job = _workspace.WriteFile("laconic/data/compose-jobs/docker-compose-seed.yml", "services: {}\n");
        _workspace.WriteFile("laconic/data/config/shared/a.env", "A=1\n");
        _workspace.WriteFile("laconic/data/container-build/cerc-shared/build.sh", "#!/bin/sh\n");

        var stack = Stack.Load(_workspace.Combine("ext", "stack-orchestrator", "stacks", "mine"), new DiskHostFiles(), new DiagnosticBag(),
            fallbackRoots: [_workspace.Combine("laconic", "data")]);

        Assert.Equal(own, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
        Assert.Equal(shared, stack.ComposeFile(stack.Definition.Pods[1], _workspace.Path));
        Assert.Equal(job, stack.JobFile("seed"));
        Assert.Equal(_workspace.Combine("laconic", "data", "config"), stack.ConfigRoot);
        Assert.Equal(_workspace.Combine("laconic", "data", "container-build", "cerc-shared"), stack.ContainerBuildDirectory("cerc/shared"));
    }

    [Fact]
    public void A_stacks_own_yaml_file_wins_over_a_fallbacks_yml()
    {
        _workspace.WriteFile("s/stack.yml", "pods: [web]\n");
        var own = _workspace.WriteFile("s/compose/docker-compose-web.yaml", "services: {}\n");
        _workspace.WriteFile("laconic/compose/docker-compose-web.yml", "services: {}\n");

        var stack = Stack.Load(_workspace.Combine("s"), new DiskHostFiles(), new DiagnosticBag(), fallbackRoots: [_workspace.Combine("laconic")]);

        Assert.Equal(own, stack.ComposeFile(stack.Definition.Pods[0], _workspace.Path));
    }

    [Fact]
    public void The_config_root_of_a_stack_folder_is_found_without_its_stack_yml_as_Load_finds_it()
    {
        _workspace.WriteFile("data/config/test/a.env", "A=1\n");
        _workspace.WriteFile("laconic/config/x/b.env", "B=1\n");

        Assert.Equal(_workspace.Combine("data", "config"), Stack.ConfigRootOf(_workspace.Combine("data", "stacks", "test"), new DiskHostFiles()));
        Assert.Equal(_workspace.Combine("laconic", "config"), Stack.ConfigRootOf(_workspace.Combine("ext", "stacks", "s"), new DiskHostFiles(), [_workspace.Combine("laconic")]));
        Assert.Null(Stack.ConfigRootOf(_workspace.Combine("ext", "stacks", "s"), new DiskHostFiles()));
    }
}
