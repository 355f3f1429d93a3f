using System.Runtime.Versioning;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Build;
using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Build;

[UnsupportedOSPlatform("windows")]
public sealed class NpmBuildTests : IDisposable
{
    private const string Token = "npm-token-0123456789";
    private readonly TempWorkspace _workspace = new();
    private readonly Docker _docker = new(new FakeProcessRunner(), "/usr/bin/docker");

    public void Dispose() => _workspace.Dispose();

    private static NpmBuildSettings Settings => new("cerc/builder-js:local", "http://gitea.local:3000/api/packages/cerc-io/npm/", Token, "1000", "1001");

    [Fact]
    public void The_builder_runs_once_removed_as_the_invoking_user_on_the_copy_without_a_tty_and_the_url_as_the_script_s_argument()
    {
        var spec = NpmBuild.RunSpec(_docker, "/dev-root/build-trees/laconic-sdk", "slipway-build-npms-laconic-sdk-0a1b2c3d", Settings);

        Assert.Equal("/usr/bin/docker", spec.FileName);
        Assert.Equal(
        [
            "run", "--rm", "--name", "slipway-build-npms-laconic-sdk-0a1b2c3d", "--user", "1000:1001",
            "--env", "CERC_NPM_AUTH_TOKEN",
            "--env", "LACONIC_HOSTED_CONFIG_FILE=config-hosted.yml",
            "--add-host", "gitea.local:host-gateway",
            "--volume", "/dev-root/build-trees/laconic-sdk:/workspace",
            "cerc/builder-js:local",
            "sh", "-c", "cd /workspace && build-npm-package-local-dependencies.sh \"$1\"", "sh", "http://gitea.local:3000/api/packages/cerc-io/npm/",
        ], spec.Arguments);
        Assert.DoesNotContain("-t", spec.Arguments);
        Assert.DoesNotContain("-i", spec.Arguments);
    }

    [Fact]
    public void The_token_is_in_docker_s_environment_and_a_secret_never_on_the_command_line()
    {
        var spec = NpmBuild.RunSpec(_docker, "/copy", "c", Settings);

        Assert.Equal(Token, spec.Environment["CERC_NPM_AUTH_TOKEN"]);
        Assert.Equal([Token], spec.Secrets);
        Assert.DoesNotContain(spec.Arguments, a => a.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, spec.Display());
    }

    [Fact]
    public void Debug_force_rebuild_and_extra_build_args_add_their_variables_the_free_form_one_by_name_only()
    {
        var spec = NpmBuild.RunSpec(_docker, "/copy", "c", Settings with { Debug = true, ForceRebuild = true, ExtraBuildArgs = "--ignore-scripts --x 'a b'" });

        var env = spec.Arguments.Select((a, i) => (a, i)).Where(p => p.a == "--env").Select(p => spec.Arguments[p.i + 1]).ToList();
        Assert.Equal(["CERC_NPM_AUTH_TOKEN", "LACONIC_HOSTED_CONFIG_FILE=config-hosted.yml", "CERC_SCRIPT_DEBUG=true", "CERC_FORCE_REBUILD=true", "CERC_CONTAINER_EXTRA_BUILD_ARGS"], env);
        Assert.Equal("--ignore-scripts --x 'a b'", spec.Environment["CERC_CONTAINER_EXTRA_BUILD_ARGS"]);
        var args = spec.Arguments.ToList();
        Assert.True(args.IndexOf("CERC_CONTAINER_EXTRA_BUILD_ARGS") < args.IndexOf("cerc/builder-js:local"));
    }

    [Fact]
    public void Without_the_options_no_debug_force_or_extra_variable_is_set()
    {
        var spec = NpmBuild.RunSpec(_docker, "/copy", "c", Settings);

        Assert.DoesNotContain(spec.Arguments, a => a.StartsWith("CERC_SCRIPT_DEBUG", StringComparison.Ordinal) || a.StartsWith("CERC_FORCE_REBUILD", StringComparison.Ordinal) || a.StartsWith("CERC_CONTAINER_EXTRA", StringComparison.Ordinal));
        Assert.Equal(["CERC_NPM_AUTH_TOKEN"], spec.Environment.Keys);
    }

    [Fact]
    public void A_container_name_keeps_what_docker_allows_of_the_package_name() =>
        Assert.Equal("slipway-build-npms-cerc-io-sdk_v2.x-0a1b", NpmBuild.ContainerName("cerc-io/sdk_v2.x", "0a1b"));

    [Fact]
    public void The_registry_url_is_cerc_npm_registry_url_and_null_when_it_is_not_set()
    {
        Assert.Equal("https://npm.example.org/api/", NpmBuild.RegistryUrlFromEnvironment(Env(("CERC_NPM_REGISTRY_URL", " https://npm.example.org/api/ "))));
        Assert.Null(NpmBuild.RegistryUrlFromEnvironment(Env(("CERC_NPM_REGISTRY_URL", ""))));
        Assert.Null(NpmBuild.RegistryUrlFromEnvironment(Env()));
    }

    [Fact]
    public void The_package_registry_stack_is_looked_for_under_laconic_so_s_project_name_for_it()
    {
        // md5("internal,package-registry,None,None")[:16], as laconic-so's get_stack_status names it.
        Assert.Equal("laconic-a0891a199a49ade1", NpmBuild.RegistryProject);
    }

    [Fact]
    public void Without_a_registry_the_error_says_how_to_start_the_local_one_or_what_to_set()
    {
        var e = NpmBuild.NoRegistry();

        Assert.Equal(FailureReason.PrerequisiteMissing, e.Reason);
        Assert.Equal("no npm registry for build-npms: CERC_NPM_REGISTRY_URL is not set and the package-registry stack is not running "
            + "(no running container of compose project laconic-a0891a199a49ade1)", e.Message);
        Assert.Equal("start laconic-so's local registry with 'slipway --stack package-registry deploy up' (it is then "
            + "http://gitea.local:3000/api/packages/cerc-io/npm/), or set CERC_NPM_REGISTRY_URL to the registry to publish to", e.Hint);
    }

    [Theory]
    [InlineData("gitea.local:3000/api")]
    [InlineData("ftp://gitea.local/npm")]
    [InlineData("http://gitea.local/npm; rm -rf /")]
    public void A_registry_url_that_is_not_http_or_https_is_invalid_input(string url)
    {
        var e = Assert.Throws<SlipwayException>(() => NpmBuild.RegistryUrlFromEnvironment(Env(("CERC_NPM_REGISTRY_URL", url))));

        Assert.Equal(FailureReason.InvalidInput, e.Reason);
        Assert.Contains("is not an http:// or https:// URL", e.Message);
    }

    [Fact]
    public void The_auth_token_is_required()
    {
        Assert.Equal(Token, NpmBuild.AuthToken(Env(("CERC_NPM_AUTH_TOKEN", Token))));
        var e = Assert.Throws<SlipwayException>(() => NpmBuild.AuthToken(Env()));
        Assert.Equal(FailureReason.PrerequisiteMissing, e.Reason);
        Assert.StartsWith("CERC_NPM_AUTH_TOKEN is not defined", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_copy_replaces_the_old_build_tree_and_keeps_modes_and_symbolic_links_as_links()
    {
        var script = _workspace.WriteFile("clone/bin/build.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _workspace.WriteFile("clone/package.json", "{}\n");
        File.CreateSymbolicLink(_workspace.Combine("clone", "link"), "package.json");
        File.CreateSymbolicLink(_workspace.Combine("clone", "dangling"), "/nowhere/at/all");
        _workspace.WriteFile("trees/clone/stale.txt", "from the last build\n");

        NpmBuild.ReplaceWithCopy(_workspace.Combine("clone"), _workspace.Combine("trees", "clone"));

        Assert.False(File.Exists(_workspace.Combine("trees", "clone", "stale.txt")));
        Assert.Equal("{}\n", _workspace.ReadFile("trees/clone/package.json"));
        Assert.True((File.GetUnixFileMode(_workspace.Combine("trees", "clone", "bin", "build.sh")) & UnixFileMode.UserExecute) != 0);
        Assert.Equal("package.json", new FileInfo(_workspace.Combine("trees", "clone", "link")).LinkTarget);
        Assert.Equal("/nowhere/at/all", new FileInfo(_workspace.Combine("trees", "clone", "dangling")).LinkTarget);
        Assert.True(File.Exists(_workspace.Combine("clone", "package.json")));
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;
}
