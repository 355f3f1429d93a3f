using System.Text.Json;
using Slipway.Infrastructure.Composition;
using Slipway.IntegrationTests.Infrastructure;

namespace Slipway.IntegrationTests.Registry;

/// <summary>
/// A run that logged in with the spec's registry-credentials logs out at its end, whether it succeeded or was rolled
/// back: docker's credential store (a DOCKER_CONFIG of the test's own, through a docker wrapper) holds no login for
/// the local registry afterwards, and the run log shows the logout after the login.
/// </summary>
[Collection(SideBySideCollection.Name)]
public sealed class RegistryLogoutTests(DockerFixture docker)
{
    [Fact]
    public async Task A_run_that_logged_in_to_the_registry_logs_out_at_its_end_on_success_and_after_a_rollback()
    {
        Assert.Contains("built slipway/hello:local", docker.HelloBuild.StandardError);
        await using var ws = new Workspace();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        var registry = await LocalRegistry.StartAsync(ws.Combine("registry"), "slipway", token);
        try
        {
            var login = await RegistryLoginFiles.CreateAsync(ws, token);
            var dockerConfig = login.DockerConfig;
            var host = HostSettings.FromEnvironment() with { Tools = HostSettings.FromEnvironment().Tools with { Docker = login.DockerWrapper } };

            var spec = await ws.InitAsync(Paths.HelloStack, "spec.yml", "--map-ports-to-host", "localhost-fixed-random");
            await File.AppendAllTextAsync(spec, $"image-registry: {registry.Address}/it\n" + login.SpecLines(registry.Address));
            var d = await ws.CreateAsync(spec, "d");

            var good = await SlipwayCommand.RunUncheckedAsync(host, "deployment", "--dir", d.Directory, "start");
            Assert.True(good.ExitCode == 0, good.ToString());
            AssertLoggedInThenOut(await File.ReadAllTextAsync(LogOf(d, 1)), registry.Address, token);
            Assert.False(HasLogin(dockerConfig, registry.Address), "the login stayed after a successful run");

            // A release that fails verify and is rolled back logs out too.
            await File.AppendAllTextAsync(spec, "verify:\n  - service: web\n    http: /no-such-page\n    port: 80\n    timeout: 3s\n");
            await SlipwayCommand.RunAsync("deploy", "create", "--spec-file", spec, "--deployment-dir", d.Directory, "--update");
            var bad = await SlipwayCommand.RunUncheckedAsync(host, "deployment", "--dir", d.Directory, "start");
            Assert.True(bad.ExitCode == Cli.ExitCodes.RolledBack, bad.ToString());
            AssertLoggedInThenOut(await File.ReadAllTextAsync(LogOf(d, 2)), registry.Address, token);
            Assert.False(HasLogin(dockerConfig, registry.Address), "the login stayed after a rolled-back run");
            await d.RunAsync("stop");
        }
        finally
        {
            await registry.DisposeAsync();
        }
    }

    internal static void AssertLoggedInThenOut(string log, string server, string token)
    {
        var login = log.IndexOf($"docker login --username slipway --password-stdin {server}", StringComparison.Ordinal);
        var logout = log.IndexOf($"docker logout {server}", StringComparison.Ordinal);
        Assert.True(login >= 0 && logout > login, $"expected a login, then a logout, in:\n{log}");
        Assert.DoesNotContain(token, log, StringComparison.Ordinal);
    }

    /// <summary>The run log of the <paramref name="n"/>th start, oldest first.</summary>
    private static string LogOf(TestDeployment d, int n) =>
        Directory.GetFiles(d.File(".slipway", "logs"), "*-start.log").Order(StringComparer.Ordinal).ElementAt(n - 1);

    /// <summary>Whether docker's credential store in <paramref name="dockerConfig"/> holds a login for <paramref name="server"/>.</summary>
    internal static bool HasLogin(string dockerConfig, string server)
    {
        var file = Path.Combine(dockerConfig, "config.json");
        if (!File.Exists(file)) return false;
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        return json.RootElement.TryGetProperty("auths", out var auths) && auths.EnumerateObject().Any(a => a.Name.Contains(server, StringComparison.Ordinal));
    }
}
