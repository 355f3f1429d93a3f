using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Processes;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Build;

/// <summary>
/// A stand-in for laconic-so's cerc/builder-js (FROM scratch with the host's static busybox), tagged with a name of its
/// own so these tests never replace an operator's cerc/builder-js:local and run beside the others. Its
/// build-npm-package-local-dependencies.sh writes what it was given into /workspace/npm-build.txt and fails when the
/// package has a fail-build file. Its default user is 4242, so a run without --user would show.
/// </summary>
public sealed class NpmBuilderImage : IAsyncLifetime
{
    public string Tag { get; } = $"slipway-it/builder-js-{Guid.NewGuid():N}:local";

    private const string Script = """
        #!/bin/sh
        {
          echo "url=$1"
          echo "args=$#"
          echo "pwd=$(pwd)"
          echo "uid=$(id -u)"
          echo "gid=$(id -g)"
          echo "token=$CERC_NPM_AUTH_TOKEN"
          echo "hosted=$LACONIC_HOSTED_CONFIG_FILE"
          echo "debug=${CERC_SCRIPT_DEBUG:-unset}"
          echo "force=${CERC_FORCE_REBUILD:-unset}"
          echo "extra=${CERC_CONTAINER_EXTRA_BUILD_ARGS:-unset}"
          if grep -q 'gitea.local' /etc/hosts; then echo "gitea=mapped"; else echo "gitea=missing"; fi
        } > /workspace/npm-build.txt
        if [ -f /workspace/fail-build ]; then
          echo "npm notice packing $(cat /workspace/package.json)"
          echo "npm ERR! $(cat /workspace/fail-build) (token $CERC_NPM_AUTH_TOKEN)" >&2
          exit 3
        fi
        echo "published to $1"
        """;

    public async Task InitializeAsync()
    {
        var context = Directory.CreateTempSubdirectory("slipway-it-builder-js-").FullName;
        try
        {
            File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
            File.WriteAllText(Path.Combine(context, "build-npm-package-local-dependencies.sh"), Script.Replace("\r", "") + "\n");
            File.WriteAllText(Path.Combine(context, "Dockerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                RUN ["/bin/busybox", "--install", "-s", "/bin"]
                COPY build-npm-package-local-dependencies.sh /usr/local/bin/build-npm-package-local-dependencies.sh
                RUN ["/bin/busybox", "chmod", "0755", "/usr/local/bin/build-npm-package-local-dependencies.sh"]
                ENV PATH=/usr/local/bin:/bin
                USER 4242:4242
                """);
            (await new SystemProcessRunner().RunAsync(new ProcessSpec("docker", ["build", "--tag", Tag, context])
            {
                Environment = new Dictionary<string, string?> { ["DOCKER_BUILDKIT"] = "0" },
                Timeout = TimeSpan.FromMinutes(3),
            })).ShouldSucceed();
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    public async Task DisposeAsync() => await Docker.RunAsync("image", "rm", "--force", Tag);
}

/// <summary>build-npms on the real Docker Engine with <see cref="NpmBuilderImage"/>.</summary>
[Collection(SideBySideCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildNpmsTests(NpmBuilderImage builder) : IClassFixture<NpmBuilderImage>, IDisposable
{
    private const string Token = "npm-it-token-5f0c2a9d";
    private const string Registry = "http://gitea.local:3000/api/packages/cerc-io/npm/";
    private readonly TempWorkspace _ws = new();
    private readonly Dictionary<string, string?> _environment = new()
    {
        ["CERC_NPM_REGISTRY_URL"] = Registry,
        ["CERC_NPM_AUTH_TOKEN"] = Token,
    };

    private string? _image;

    public void Dispose() => _ws.Dispose();

    private string Stack => _ws.Combine("stack");

    private string Tree(string package, string file = "npm-build.txt") => _ws.Combine("dev", "build-trees", package, file);

    private void WritePackages(string npms = "  - pkg-a\n  - pkg-b\n")
    {
        _ws.WriteFile("stack/stack.yml", $"version: \"1.0\"\nname: js\nnpms:\n{npms}");
        _ws.WriteFile("dev/pkg-a/package.json", "{ \"name\": \"pkg-a\" }\n");
        _ws.WriteFile("dev/pkg-b/package.json", "{ \"name\": \"pkg-b\" }\n");
    }

    /// <summary>slipway with the test's dev root, builder image and variables (CERC_* never set in this process).</summary>
    private Task<CliResult> SlipwayAsync(params string[] args)
    {
        var host = HostSettings.FromEnvironment() with
        {
            RepositoryBase = _ws.Combine("dev"),
            NpmBuilderImage = _image ?? builder.Tag,
            GetEnvironment = name => _environment.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name),
        };
        return SlipwayCommand.RunUncheckedAsync(host, args);
    }

    private static IReadOnlyDictionary<string, string> Record(string path) =>
        File.ReadAllLines(path).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public async Task Each_package_is_built_in_a_fresh_copy_under_build_trees_as_the_invoking_user_with_the_registry_url_and_the_token()
    {
        WritePackages();
        _ws.WriteFile("dev/build-trees/pkg-a/stale.txt", "left by the last build\n");

        var run = await SlipwayAsync("--verbose", "--stack", Stack, "build-npms");

        Assert.True(run.ExitCode == Cli.ExitCodes.Success, run.ToString());
        var (uid, gid) = HostUser.Ids();
        foreach (var package in new[] { "pkg-a", "pkg-b" })
        {
            var record = Record(Tree(package));
            Assert.Equal(Registry, record["url"]);
            Assert.Equal("1", record["args"]);
            Assert.Equal("/workspace", record["pwd"]);
            Assert.Equal(uid, record["uid"]);
            Assert.Equal(gid, record["gid"]);
            Assert.Equal(Token, record["token"]);
            Assert.Equal("config-hosted.yml", record["hosted"]);
            Assert.Equal("unset", record["debug"]);
            Assert.Equal("unset", record["force"]);
            Assert.Equal("unset", record["extra"]);
            Assert.Equal("mapped", record["gitea"]);
            Assert.Equal($"{{ \"name\": \"{package}\" }}\n", File.ReadAllText(Tree(package, "package.json")));
            // The clone is left as it was: the build wrote only into its copy.
            Assert.False(File.Exists(_ws.Combine("dev", package, "npm-build.txt")));
        }

        Assert.False(File.Exists(Tree("pkg-a", "stale.txt")));
        Assert.True(run.StandardError.IndexOf("Building npm package: pkg-a", StringComparison.Ordinal) < run.StandardError.IndexOf("Building npm package: pkg-b", StringComparison.Ordinal));
        Assert.Contains($"built and published 2 npm packages to {Registry}: pkg-a, pkg-b", run.StandardError);
        // --verbose shows each docker run; the token is in the container, never on a command line or in what is shown.
        Assert.Contains("--env CERC_NPM_AUTH_TOKEN --env LACONIC_HOSTED_CONFIG_FILE=config-hosted.yml", run.StandardError);
        Assert.DoesNotContain(Token, run.AllOutput);
    }

    [Fact]
    public async Task Debug_force_rebuild_and_extra_build_args_reach_the_build_script()
    {
        WritePackages("  - pkg-a\n");

        var run = await SlipwayAsync("--debug", "--stack", Stack, "build-npms", "--force-rebuild", "--extra-build-args", "--ignore-scripts --tag 'a b'");

        Assert.True(run.ExitCode == Cli.ExitCodes.Success, run.ToString());
        var record = Record(Tree("pkg-a"));
        Assert.Equal("true", record["debug"]);
        Assert.Equal("true", record["force"]);
        Assert.Equal("--ignore-scripts --tag 'a b'", record["extra"]);
    }

    [Fact]
    public async Task Include_and_exclude_choose_the_packages_built()
    {
        WritePackages();

        var included = await SlipwayAsync("--stack", Stack, "build-npms", "--include", "pkg-b");
        Assert.True(included.ExitCode == Cli.ExitCodes.Success, included.ToString());
        Assert.True(File.Exists(Tree("pkg-b")));
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees", "pkg-a")));
        Assert.DoesNotContain("Building npm package: pkg-a", included.StandardError);

        Directory.Delete(_ws.Combine("dev", "build-trees"), recursive: true);
        var excluded = await SlipwayAsync("--stack", Stack, "build-npms", "--exclude", "pkg-b");
        Assert.True(excluded.ExitCode == Cli.ExitCodes.Success, excluded.ToString());
        Assert.True(File.Exists(Tree("pkg-a")));
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees", "pkg-b")));

        var unknown = await SlipwayAsync("--stack", Stack, "build-npms", "--include", "pkg-c");
        Assert.Equal(Cli.ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("--include names pkg-c, which the stack does not list under npms", unknown.StandardError);
    }

    [Fact]
    public async Task Without_the_builder_image_it_fails_saying_how_to_build_it()
    {
        WritePackages();
        _image = $"slipway-it/no-builder-js-{Guid.NewGuid():N}:local";

        var run = await SlipwayAsync("--stack", Stack, "build-npms");

        Assert.Equal(Cli.ExitCodes.PrerequisiteMissing, run.ExitCode);
        Assert.Contains($"error: the builder image {_image} is required but was not found", run.StandardError);
        Assert.Contains("build-support build-containers --include cerc/builder-js", run.StandardError);
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees")));
    }

    [Fact]
    public async Task Without_the_auth_token_or_the_registry_url_nothing_is_copied_or_built()
    {
        WritePackages();
        _environment["CERC_NPM_AUTH_TOKEN"] = null;

        var noToken = await SlipwayAsync("--stack", Stack, "build-npms");
        _environment["CERC_NPM_AUTH_TOKEN"] = Token;
        _environment["CERC_NPM_REGISTRY_URL"] = null;
        var noRegistry = await SlipwayAsync("--stack", Stack, "build-npms");

        Assert.Equal(Cli.ExitCodes.PrerequisiteMissing, noToken.ExitCode);
        Assert.Contains("error: CERC_NPM_AUTH_TOKEN is not defined", noToken.StandardError);
        Assert.Equal(Cli.ExitCodes.PrerequisiteMissing, noRegistry.ExitCode);
        Assert.Contains("error: no npm registry for build-npms: CERC_NPM_REGISTRY_URL is not set and the package-registry stack is not running", noRegistry.StandardError);
        Assert.Contains("hint: start laconic-so's local registry with 'slipway --stack package-registry deploy up'", noRegistry.StandardError);
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees")));
    }

    [Fact]
    public async Task Without_cerc_npm_registry_url_a_running_package_registry_stack_s_gitea_is_used()
    {
        WritePackages("  - pkg-a\n");
        _environment["CERC_NPM_REGISTRY_URL"] = null;
        // A running container of the compose project laconic-so's check (and 'slipway --stack package-registry deploy up') uses.
        var registry = $"slipway-it-package-registry-{Guid.NewGuid():N}";
        await Docker.OutputAsync("run", "--detach", "--rm", "--name", registry, "--label", "com.docker.compose.project=" + Slipway.Infrastructure.Build.NpmBuild.RegistryProject,
            builder.Tag, "sleep", "120");
        try
        {
            var run = await SlipwayAsync("--stack", Stack, "build-npms");

            Assert.True(run.ExitCode == Cli.ExitCodes.Success, run.ToString());
            Assert.Equal(Registry, Record(Tree("pkg-a"))["url"]);
            Assert.Contains($"using the package-registry stack's npm registry {Registry} (its compose project laconic-a0891a199a49ade1 is running", run.StandardError);
        }
        finally
        {
            await Docker.RunAsync("rm", "--force", registry);
        }
    }

    [Fact]
    public async Task A_failing_package_fails_the_command_with_its_output_and_continue_on_error_builds_the_rest_but_still_fails()
    {
        WritePackages();
        _ws.WriteFile("dev/pkg-a/fail-build", "broken on purpose");

        var stopped = await SlipwayAsync("--stack", Stack, "build-npms");

        Assert.Equal(Cli.ExitCodes.DeploymentFailed, stopped.ExitCode);
        Assert.Contains($"error: building npm package pkg-a failed (exit code 3) in {builder.Tag}:", stopped.StandardError);
        Assert.Contains("npm notice packing { \"name\": \"pkg-a\" }", stopped.StandardError);
        Assert.Contains("npm ERR! broken on purpose (token [REDACTED])", stopped.StandardError);
        Assert.DoesNotContain(Token, stopped.AllOutput);
        Assert.DoesNotContain("Building npm package: pkg-b", stopped.StandardError);
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees", "pkg-b")));

        var continued = await SlipwayAsync("--continue-on-error", "--stack", Stack, "build-npms");

        Assert.Equal(Cli.ExitCodes.DeploymentFailed, continued.ExitCode);
        Assert.Contains("npm ERR! broken on purpose", continued.StandardError);
        Assert.Contains("--continue-on-error: going on with the next package", continued.StandardError);
        Assert.True(File.Exists(Tree("pkg-b")));
        Assert.Contains("error: 1 of 2 npm packages failed to build: pkg-a; built and published: pkg-b", continued.StandardError);
    }

    [Fact]
    public async Task Dry_run_checks_and_tells_but_copies_and_runs_nothing()
    {
        WritePackages();

        var run = await SlipwayAsync("--dry-run", "--stack", Stack, "build-npms");

        Assert.True(run.ExitCode == Cli.ExitCodes.Success, run.ToString());
        Assert.Contains($"Dry run: would copy {_ws.Combine("dev", "pkg-a")} to {_ws.Combine("dev", "build-trees", "pkg-a")}", run.StandardError);
        Assert.Contains("Dry run: would run: docker run --rm --name slipway-build-npms-pkg-a-", run.StandardError);
        Assert.Contains($"Dry run: would build and publish 2 npm packages to {Registry}: pkg-a, pkg-b", run.StandardError);
        Assert.DoesNotContain(Token, run.AllOutput);
        Assert.False(Directory.Exists(_ws.Combine("dev", "build-trees")));

        // The checks are real: a dry run without the image fails as the run would.
        _image = $"slipway-it/no-builder-js-{Guid.NewGuid():N}:local";
        var missing = await SlipwayAsync("--dry-run", "--stack", Stack, "build-npms");
        Assert.Equal(Cli.ExitCodes.PrerequisiteMissing, missing.ExitCode);
    }

    [Fact]
    public async Task A_stack_without_npms_warns_and_succeeds()
    {
        _ws.WriteFile("stack/stack.yml", "version: \"1.0\"\nname: nojs\npods: []\n");

        var run = await SlipwayAsync("--stack", Stack, "build-npms");

        Assert.True(run.ExitCode == Cli.ExitCodes.Success, run.ToString());
        Assert.Contains("warning: stack nojs does not define any npms", run.StandardError);
    }
}
