using Slipway.IntegrationTests.Infrastructure;
using Slipway.IntegrationTests.Registry;

namespace Slipway.IntegrationTests;

/// <summary>The registry token is a secret Slipway knows: no log, no --debug line and no hook output shows it.</summary>
[Collection(RegistryLoginCollection.Name)]
public sealed class SecretRedactionTests
{
    [Fact]
    public async Task A_hook_printing_its_environment_shows_neither_token_env_nor_token_file_in_the_run_log_or_debug_output()
    {
        const string EnvToken = "tok-9b-from-env-4f1c2a";
        const string FileToken = "tok-9b-from-file-7d3e9b";
        var variable = $"SLIPWAY_TEST_TOKEN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, EnvToken);
        try
        {
            await using var ws = new Workspace();
            // prepare logs in to the registry, so the token must be one a real registry accepts.
            await using var envRegistry = await LocalRegistry.StartAsync(ws.Combine("registry-env"), "bot", EnvToken);
            await using var fileRegistry = await LocalRegistry.StartAsync(ws.Combine("registry-file"), "bot", FileToken);
            var spec = await ws.InitAsync(Paths.HelloStack, "hello-spec.yml");
            var tokenFile = ws.Combine("registry.token");
            await File.WriteAllTextAsync(tokenFile, FileToken + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            // The hooks print the whole environment (token-env) and the token file, as a careless script would.
            await File.AppendAllTextAsync(spec, $"registry-credentials:\n  server: {envRegistry.Address}\n  username: bot\n  token-env: {variable}\n" +
                "hooks:\n  pre-deploy:\n    - env\n");
            var d = await ws.CreateAsync(spec, "hello");

            var start = await d.RunAsync("start", "--debug");
            Assert.True(start.ExitCode == 0, start.ToString());

            Assert.Contains(variable + "=[REDACTED]", start.AllOutput);
            Assert.DoesNotContain(EnvToken, start.AllOutput);
            foreach (var log in Directory.GetFiles(d.File(".slipway", "logs")))
            {
                var text = await File.ReadAllTextAsync(log);
                Assert.DoesNotContain(EnvToken, text);
            }

            // token-file: the same spec with the token in a file instead, and a hook that prints that file.
            var withFile = (await File.ReadAllTextAsync(spec))
                .Replace($"token-env: {variable}", $"token-file: {tokenFile}", StringComparison.Ordinal)
                .Replace(envRegistry.Address, fileRegistry.Address, StringComparison.Ordinal)
                .Replace("    - env\n", $"    - [cat, {tokenFile}]\n", StringComparison.Ordinal);
            Assert.Contains("token-file", withFile);
            await File.WriteAllTextAsync(spec, withFile);
            await SlipwayCommand.RunAsync("deploy", "create", "--update", "--spec-file", spec, "--deployment-dir", d.Directory);

            var restart = await d.RunAsync("start", "--debug");
            Assert.True(restart.ExitCode == 0, restart.ToString());

            Assert.Contains("out| [REDACTED]", restart.AllOutput);
            Assert.DoesNotContain(FileToken, restart.AllOutput);
            foreach (var log in Directory.GetFiles(d.File(".slipway", "logs")))
            {
                Assert.DoesNotContain(FileToken, await File.ReadAllTextAsync(log));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
