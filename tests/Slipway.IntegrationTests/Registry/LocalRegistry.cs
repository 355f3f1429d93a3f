using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Slipway.Infrastructure.Processes;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.Registry;

/// <summary>
/// Debian's <c>docker-registry</c> (distribution 2.x) started by a test on a free 127.0.0.1 port with htpasswd auth,
/// storing into the test's own folder; stopped by its PID on dispose. A missing binary FAILS the test (scripts/setup.sh
/// installs it), it never skips.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private const string Binary = "/usr/bin/docker-registry";

    private readonly Process _process;
    private readonly string _logFile;

    private LocalRegistry(Process process, string host, int port, string logFile)
    {
        _process = process;
        Host = host;
        Port = port;
        _logFile = logFile;
    }

    public string Host { get; }

    public int Port { get; }

    /// <summary><c>HOST:PORT</c> (127.0.0.1 unless asked otherwise): the server name for docker login and the start of image references.</summary>
    public string Address => $"{Host}:{Port}";

    public string Log => File.Exists(_logFile) ? File.ReadAllText(_logFile) : "(no registry log)";

    /// <summary>
    /// Listens on <paramref name="host"/> (default 127.0.0.1); another local address, such as the host end of a test
    /// network namespace's veth, lets an engine in that namespace reach it (that engine must trust it as an insecure registry).
    /// </summary>
    public static async Task<LocalRegistry> StartAsync(string directory, string username, string password, string host = "127.0.0.1")
    {
        Assert.True(File.Exists(Binary), $"{Binary} is missing: the push tests need Debian's docker-registry package (scripts/setup.sh installs it)");
        Directory.CreateDirectory(directory);

        // bcrypt entry from htpasswd, the password on stdin (-i), so it is on no command line.
        var htpasswd = await new SystemProcessRunner().RunAsync(new ProcessSpec("htpasswd", ["-iBn", username])
        {
            StandardInput = password,
            Secrets = [password],
            Timeout = TimeSpan.FromSeconds(30),
        });
        htpasswd.ShouldSucceed();
        var htpasswdFile = Path.Combine(directory, "htpasswd");
        await File.WriteAllTextAsync(htpasswdFile, htpasswd.StandardOutput.Trim() + "\n");

        var port = FreePort();
        var config = Path.Combine(directory, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "data")}
              delete:
                enabled: true
            http:
              addr: {host}:{port}
              secret: {Guid.NewGuid():N}
            auth:
              htpasswd:
                realm: slipway-tests
                path: {htpasswdFile}
            """);

        var logFile = Path.Combine(directory, "registry.log");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process
        {
            StartInfo = new ProcessStartInfo(Binary, ["serve", config])
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            },
        };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, host, port, logFile);
        await registry.WaitUntilAnsweringAsync();
        return registry;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null) return;
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the registry has exited
            }
        }
    }

    /// <summary>Until <c>GET /v2/</c> answers 401 (auth is on); fails with the registry's log when it exits or never answers.</summary>
    private async Task WaitUntilAnsweringAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"docker-registry exited with {_process.ExitCode} during startup:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync($"http://{Address}/v2/");
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET /v2/ without credentials answered {(int)response.StatusCode}, expected 401 (htpasswd auth)");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (TaskCanceledException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
