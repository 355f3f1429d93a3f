using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Build;

/// <summary>laconic-so's build-script contract on the real Docker Engine: stock-shaped scripts, the default build, failures.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildContractTests
{
    /// <summary>A stock laconic-so build.sh: sources build-base.sh, builds from the dev root, hard-codes the :local tag.</summary>
    private const string StockScript = """
        #!/usr/bin/env bash
        source ${CERC_CONTAINER_BASE_DIR}/build-base.sh
        ctx=$(mktemp -d)
        cp /bin/busybox "$ctx/busybox"
        cp ${CERC_CONTAINER_BASE_DIR}/slipway-it-stock/Dockerfile "$ctx/"
        cp ${CERC_REPO_BASE_DIR}/stock-src/greeting "$ctx/"
        {
          echo "repo=$CERC_REPO_BASE_DIR"
          echo "uid=$CERC_HOST_UID gid=$CERC_HOST_GID"
          echo "default-tag=$CERC_DEFAULT_CONTAINER_IMAGE_TAG"
          echo "buildkit=$DOCKER_BUILDKIT"
          echo "args=$build_command_args"
        } > "$ctx/contract.txt"
        docker build -t slipway-it/stock:local ${build_command_args} "$ctx"
        rc=$?
        rm -rf "$ctx"
        exit $rc
        """;

    private const string BusyboxDockerfile = """
        FROM scratch
        COPY busybox /bin/busybox
        ARG MARK=none
        COPY . /ctx/
        RUN ["/bin/busybox", "sh", "-c", "echo $MARK > /mark"]
        """;

    [Fact]
    public async Task Stock_laconic_scripts_default_builds_and_failures_follow_laconic_sos_contract()
    {
        using var ws = new TempWorkspace();
        var devRoot = ws.Combine("cerc");
        ws.WriteFile("cerc/stock-src/greeting", "from the dev root\n");
        ws.WriteFile("cerc/from-repo/Dockerfile", BusyboxDockerfile);
        File.Copy("/bin/busybox", ws.Combine("cerc", "from-repo", "busybox"));
        ws.WriteFile("so/stacks/contract/stack.yml", "version: \"1.0\"\nname: contract\ncontainers:\n  - slipway-it/stock\n  - slipway-it/from-repo\n  - slipway-it/broken\npods: []\n");
        ws.WriteFile("so/container-build/slipway-it-stock/Dockerfile", BusyboxDockerfile);
        Executable(ws.WriteFile("so/container-build/slipway-it-stock/build.sh", StockScript + "\n"));
        Executable(ws.WriteFile("so/container-build/slipway-it-broken/build.sh", "#!/usr/bin/env bash\necho 'ERROR: the build broke' >&2\nexit 3\n"));
        var stack = ws.Combine("so", "stacks", "contract");
        var previous = Environment.GetEnvironmentVariable("CERC_REPO_BASE_DIR");
        Environment.SetEnvironmentVariable("CERC_REPO_BASE_DIR", devRoot);
        try
        {
            // The stock script: build-base.sh found (Slipway's), extra args reach docker build, its :local image is taken.
            var build = await SlipwayCommand.RunAsync("--stack", stack, "build-containers", "--exclude", "slipway-it/broken,slipway-it/from-repo",
                "--extra-build-args", "--build-arg MARK=extra");
            var reference = Reference(build, "slipway-it/stock");
            Assert.Contains($"slipway-it/stock: its build.sh tagged only slipway-it/stock:local; Slipway tagged that image {reference}", build.StandardError);
            Assert.Equal("extra\n", await Docker.OutputAsync("run", "--rm", reference, "/bin/busybox", "cat", "/mark"));
            Assert.Equal("from the dev root\n", await Docker.OutputAsync("run", "--rm", reference, "/bin/busybox", "cat", "/ctx/greeting"));
            var contract = await Docker.OutputAsync("run", "--rm", reference, "/bin/busybox", "cat", "/ctx/contract.txt");
            var (uid, gid) = Slipway.Infrastructure.Build.BuildContract.HostIds();
            Assert.Equal($"repo={devRoot}\nuid={uid} gid={gid}\ndefault-tag=slipway-it/stock:local\nbuildkit=0\nargs= --build-arg MARK=extra\n", contract);
            Assert.Equal(await ImageId(reference), await ImageId("slipway-it/stock:local"));

            // --force-rebuild reaches the script as --no-cache, even though the exact tag exists.
            var forced = await SlipwayCommand.RunAsync("--stack", stack, "build-containers", "--include", "slipway-it/stock", "--force-rebuild");
            Assert.Contains("args= --no-cache\n", await Docker.OutputAsync("run", "--rm", Reference(forced, "slipway-it/stock"), "/bin/busybox", "cat", "/ctx/contract.txt"));

            // A failing script is a failure; --continue-on-error builds the rest (the default build from the dev root
            // included) and still fails, naming it; nothing reports the broken image as built.
            var all = await SlipwayCommand.RunAsync(Cli.ExitCodes.DeploymentFailed, "--stack", stack, "build-containers", "--continue-on-error");
            Assert.Contains("1 of 3 images failed to build: slipway-it/broken: building slipway-it/broken failed (exit code 3)", all.StandardError);
            Assert.DoesNotContain("built slipway-it/broken", all.StandardError);
            Assert.Contains("ERROR: the build broke", all.StandardError); // the failed script's own words, not only its exit code
            Assert.Contains("✗ build contract images", all.StandardError);
            Assert.DoesNotContain("✓ build contract images", all.StandardError);
            Assert.Equal("none\n", await Docker.OutputAsync("run", "--rm", Reference(all, "slipway-it/from-repo"), "/bin/busybox", "cat", "/mark"));
            Assert.Contains("built slipway-it/stock", all.StandardError);

            var stop = await SlipwayCommand.RunAsync(Cli.ExitCodes.DeploymentFailed, "--stack", stack, "build-containers");
            Assert.Contains("building slipway-it/broken failed (exit code 3)", stop.StandardError);
            Assert.Contains("ERROR: the build broke", stop.StandardError);
            Assert.DoesNotContain("built ", stop.StandardError);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CERC_REPO_BASE_DIR", previous);
            foreach (var repo in new[] { "slipway-it/stock", "slipway-it/from-repo" })
            {
                var tags = Docker.Lines(await Docker.OutputAsync("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repo));
                if (tags.Count > 0) await Docker.RunAsync(["image", "rm", "--force", .. tags]);
            }
        }
    }

    private static string Reference(CliResult build, string container)
    {
        var line = build.StandardError.Split('\n').LastOrDefault(l => l.Contains($"built {container}:local as ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no 'built {container}:local as' line:\n{build}");
        return line[(line.IndexOf(" as ", StringComparison.Ordinal) + 4)..].Split(' ')[0];
    }

    private static async Task<string> ImageId(string reference) => (await Docker.OutputAsync("image", "inspect", "--format", "{{.Id}}", reference)).Trim();

    private static void Executable(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
