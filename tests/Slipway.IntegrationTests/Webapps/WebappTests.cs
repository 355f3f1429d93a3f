using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Webapps;

/// <summary>
/// build-webapp, run-webapp and deploy-webapp create on the real Docker Engine, with a test base image in laconic-so's
/// webapp-base shape (build.sh under the build contract, Dockerfile, Dockerfile.webapp, /scripts/build-app.sh) made
/// FROM scratch with the host's static busybox: build-app.sh copies public/ where npm would build.
/// </summary>
[Collection(SideBySideCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WebappTests
{
    private const string App = "slipway-it-webapp";
    private const string Tag = "cerc/" + App + ":local";
    private const string BaseTag = "cerc/webapp-base:local";

    /// <summary>Both phases through one script, as laconic-so's cerc-webapp-base/build.sh does.</summary>
    private const string BaseBuildScript = """
        #!/usr/bin/env bash
        source ${CERC_CONTAINER_BASE_DIR}/build-base.sh
        here=$(cd "$(dirname "$0")" && pwd)
        work=${CERC_CONTAINER_BUILD_WORK_DIR:-$here}
        dockerfile=${CERC_CONTAINER_BUILD_DOCKERFILE:-$here/Dockerfile}
        tag=${CERC_CONTAINER_BUILD_TAG:-cerc/webapp-base:local}
        echo "contract: running=${CERC_WEBAPP_BUILD_RUNNING:-no} work=$work dockerfile=$(basename $dockerfile) tag=$tag" >> "$here/../../contract.log"
        if [ -z "${CERC_WEBAPP_BUILD_RUNNING:-}" ]; then
          ctx=$(mktemp -d); cp -r "$here"/. "$ctx"/; cp /bin/busybox "$ctx/busybox"; work=$ctx
        fi
        docker build -t "$tag" ${build_command_args} -f "$dockerfile" "$work"
        rc=$?
        [ -n "${ctx:-}" ] && rm -rf "$ctx"
        exit $rc
        """;

    private const string BaseDockerfile = """
        FROM scratch
        COPY busybox /bin/busybox
        RUN ["/bin/busybox", "--install", "-s", "/bin"]
        COPY scripts/ /scripts/
        CMD ["/scripts/start-serving-app.sh"]
        """;

    private const string WebappDockerfile = """
        FROM cerc/webapp-base:local AS builder
        WORKDIR /app
        COPY . .
        RUN /scripts/build-app.sh /app /data
        FROM cerc/webapp-base:local
        COPY --from=builder /data /data
        """;

    [Fact]
    public async Task A_webapp_is_built_on_the_base_its_package_json_picks_runs_with_its_env_file_and_deploys_at_its_URL()
    {
        using var ws = new TempWorkspace();
        var stack = WriteBaseImage(ws);
        ws.WriteFile($"{App}/package.json", """{ "name": "it", "dependencies": { "react": "^18" } }""");
        ws.WriteFile($"{App}/public/index.html", "hello from the webapp\n");
        ws.WriteFile("webapp.env", "GREETING=\"hi there\"\n");
        string? container = null;
        try
        {
            // Two phases: the base (no webapp variables), then the app with the base's Dockerfile.webapp; default tag cerc/<folder>:local.
            var build = await SlipwayCommand.RunAsync("--stack", stack, "build-webapp", "--source-repo", ws.Combine(App));
            Assert.Equal(Tag, build.StandardOutput.Trim());
            Assert.Equal(
                $"contract: running=no work={ws.Combine("so", "container-build", "cerc-webapp-base")} dockerfile=Dockerfile tag={BaseTag}\n"
                + $"contract: running=true work={ws.Combine(App)} dockerfile=Dockerfile.webapp tag={Tag}\n",
                ws.ReadFile("so/contract.log"));
            Assert.Contains($"built {Tag} on {BaseTag}", build.StandardError);

            var run = await SlipwayCommand.RunAsync("--verbose", "run-webapp", "--image", Tag, "--env-file", ws.Combine("webapp.env"), "--host-address", "127.0.0.1");
            var lines = run.StandardOutput.Trim().Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Equal($"Image: {Tag}", lines[0]);
            container = lines[1]["ID: ".Length..];
            Assert.StartsWith("URL: http://localhost:", lines[2]);
            var url = new Uri("http://127.0.0.1:" + lines[2]["URL: http://localhost:".Length..] + "/");
            Assert.Equal("hello from the webapp\n", await Http.GetOkAsync(url, "index.html"));
            Assert.Equal("hi there\n", await Http.GetOkAsync(url, "greeting.txt"));
            Assert.Equal($"127.0.0.1:{url.Port}\n", await Docker.OutputAsync("port", container, "80/tcp"));
            // The env file's values reach the container through docker's environment, never its command line.
            Assert.Contains("--env GREETING", run.StandardError);
            Assert.DoesNotContain("hi there", run.StandardError);

            // deploy-webapp create: the webapp-template stack, the URL as its Ingress, the image as the webapp's.
            ws.WriteFile("kubeconfig", "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n");
            var deploy = await SlipwayCommand.RunAsync("deploy-webapp", "create", "--deployment-dir", ws.Combine("web-d"), "--image", Tag,
                "--url", "https://app.example.org/shop", "--kube-config", ws.Combine("kubeconfig"));
            Assert.Contains("serving " + Tag + " at app.example.org/shop", deploy.StandardError);
            var spec = File.ReadAllText(ws.Combine("web-d.spec.yml"));
            Assert.Contains("host-name: app.example.org", spec);
            Assert.Contains("proxy-to: webapp:80", spec);
            Assert.Contains("image-overrides:\n  webapp: " + Tag, spec);
            var manifests = File.ReadAllText(ws.Combine("web-d", "k8s", "manifests.yml"));
            Assert.Contains($"image: \"{Tag}\"", manifests);
            Assert.Contains("host: app.example.org", manifests);
            Assert.Contains("path: /shop", manifests);
            Assert.DoesNotContain("cerc/webapp-container:local", manifests);

            var again = await SlipwayCommand.RunAsync(Cli.ExitCodes.Conflict, "deploy-webapp", "create", "--deployment-dir", ws.Combine("web-d"), "--image", Tag, "--url", "https://x.example.org");
            Assert.Contains("already exists", again.StandardError);
            var stackGiven = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "--stack", stack, "deploy-webapp", "create", "--deployment-dir", ws.Combine("other"),
                "--image", Tag, "--url", "https://x.example.org");
            Assert.Contains("--stack can't be given with deploy-webapp", stackGiven.StandardError);
            var badUrl = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "deploy-webapp", "create", "--deployment-dir", ws.Combine("other"),
                "--image", Tag, "--url", "app.example.org", "--kube-config", ws.Combine("kubeconfig"));
            Assert.Contains("is not an http:// or https:// URL", badUrl.StandardError);
            Assert.False(Directory.Exists(ws.Combine("other")));
        }
        finally
        {
            if (container is not null) await Docker.RunAsync("rm", "--force", container);
            await Docker.RunAsync("image", "rm", "--force", Tag, BaseTag);
        }
    }

    [Fact]
    public async Task A_next_app_needs_the_nextjs_base_and_a_base_phase_that_fails_fails_the_build()
    {
        using var ws = new TempWorkspace();
        var stack = WriteBaseImage(ws);
        ws.WriteFile("next-app/package.json", """{ "dependencies": { "next": "14.0.0" } }""");
        var next = await SlipwayCommand.RunAsync(Cli.ExitCodes.NotFound, "--stack", stack, "build-webapp", "--source-repo", ws.Combine("next-app"));
        Assert.Contains("no build folder for the base image cerc/nextjs-base: expected container-build/cerc-nextjs-base/", next.StandardError);

        ws.WriteFile("bad-json/package.json", "{ \"dependencies\": { \"next\": }\n");
        var bad = await SlipwayCommand.RunAsync(Cli.ExitCodes.InvalidInput, "--stack", stack, "build-webapp", "--source-repo", ws.Combine("bad-json"));
        Assert.Contains(ws.Combine("bad-json", "package.json") + ":1:", bad.StandardError);

        // A base build script that fails: nothing after it runs and nothing is reported built.
        Executable(ws.WriteFile("so/container-build/cerc-webapp-base/build.sh", "#!/bin/sh\necho 'ERROR: base broke' >&2\nexit 4\n"));
        ws.WriteFile("plain/index.html", "x\n");
        var failed = await SlipwayCommand.RunAsync(Cli.ExitCodes.DeploymentFailed, "--stack", stack, "build-webapp", "--source-repo", ws.Combine("plain"), "--tag", "slipway-it/never:local");
        Assert.Contains($"building the base image {BaseTag} failed (exit code 4)", failed.StandardError);
        Assert.Contains("ERROR: base broke", failed.StandardError);
        Assert.DoesNotContain("built ", failed.StandardError);
        Assert.False((await Docker.RunAsync("image", "inspect", "slipway-it/never:local")).Succeeded);
    }

    private static string WriteBaseImage(TempWorkspace ws)
    {
        ws.WriteFile("so/stacks/webapp-template/stack.yml", "version: \"1.0\"\nname: webapp-template\npods: []\n");
        const string Base = "so/container-build/cerc-webapp-base/";
        Executable(ws.WriteFile(Base + "build.sh", BaseBuildScript + "\n"));
        ws.WriteFile(Base + "Dockerfile", BaseDockerfile + "\n");
        ws.WriteFile(Base + "Dockerfile.webapp", WebappDockerfile + "\n");
        Executable(ws.WriteFile(Base + "scripts/build-app.sh", "#!/bin/sh\nset -e\nmkdir -p \"$2\"\ncp -r \"$1\"/public/. \"$2\"/\n"));
        Executable(ws.WriteFile(Base + "scripts/start-serving-app.sh", "#!/bin/sh\necho \"$GREETING\" > /data/greeting.txt\nexec httpd -f -p 80 -h /data\n"));
        return ws.Combine("so", "stacks", "webapp-template");
    }

    private static void Executable(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
