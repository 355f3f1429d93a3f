using System.Globalization;

namespace Slipway.Bench;

/// <summary>
/// 4. The staged pipeline on the example stack: a no-op restart (target under 1 s), and start of a new revision (a
/// config change that recreates web) against the raw compose command that does the same work, `up --detach --wait`.
/// </summary>
internal sealed partial class Bench
{
    public async Task PipelineAsync(int runs)
    {
        Line($"[4] pipeline: no-op restart, and start of a new revision vs raw `docker compose up --wait` (stacks/hello), N={runs}; {Load()}");
        var root = Directory.CreateTempSubdirectory("slipway-bench-pipeline-").FullName;
        string? dir = null;
        string? project = null;
        try
        {
            dir = Path.Combine(root, "deployment");
            var (deployment, backend, unset) = await CreateHelloAsync(root, dir);
            project = deployment.Identity.DeploymentId;
            var up = backend.Compose.ProjectArguments("up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans");
            Task<RunResult> Slipway(params string[] a) => RunAsync(_cli, ["-q", "deployment", "--dir", dir, .. a], root);

            Check(await Slipway("start"), "slipway start (first)");
            Check(await Slipway("restart"), "slipway restart (warm-up)");

            var noop = new List<RunResult>();
            for (var i = 0; i < runs; i++) noop.Add(Check(await Slipway("restart"), "slipway restart (no change)"));

            // A new revision each time: GREETING changes in D/config.env (what deploy create --update writes), web is recreated.
            var configEnv = Path.Combine(dir, "config.env");
            var original = await File.ReadAllTextAsync(configEnv, ct);
            var n = 0;
            void NewGreeting() => File.WriteAllText(configEnv, original.Replace("GREETING=bench", $"GREETING=bench-{++n}", StringComparison.Ordinal));
            var slip = new List<RunResult>();
            var raw = new List<RunResult>();
            for (var i = 0; i < runs; i++)
            {
                foreach (var which in i % 2 == 0 ? new[] { "slipway", "raw" } : ["raw", "slipway"])
                {
                    ct.ThrowIfCancellationRequested();
                    NewGreeting();
                    if (which == "slipway") slip.Add(Check(await Slipway("start"), "slipway start (new revision)"));
                    else raw.Add(Check(await RunAsync("docker", up, dir, unset), "raw compose up --wait (new config)"));
                }
            }

            var revisions = Directory.GetDirectories(Path.Combine(dir, ".slipway", "revisions")).Length;
            Add(Row.Of("4 pipeline", "slipway restart (no change)", noop));
            Add(Row.Of("4 pipeline", "slipway start (new revision: web recreated)", slip, $"{revisions} revisions kept"));
            Add(Row.Of("4 pipeline", "raw docker compose up --wait (same change)", raw));
            var ratio = Stats.Median(slip.Select(r => r.Ms).ToList()) / Stats.Median(raw.Select(r => r.Ms).ToList());
            Line($"    ratio slipway start (new revision) / raw compose up --wait: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}");
            var noopMedian = Stats.Median(noop.Select(r => r.Ms).ToList());
            Target("no-op restart < 1000 ms", noopMedian, noopMedian < 1000);
            Target("start new revision: slipway/raw <= 1.25", ratio, ratio <= 1.25, ratio: true);
        }
        finally
        {
            if (project is not null)
            {
                await RunAsync("docker", ["compose", "--project-name", project, "down", "--volumes", "--remove-orphans"], root, token: CancellationToken.None);
            }

            TryDelete(root);
        }
    }

    /// <summary>
    /// A docker that does no engine work: ps answers one running container, so start's verify passes at once, and image
    /// inspect answers that every tag asked about names one image, so the build stage finds its image built and tagged.
    /// </summary>
    private static string StubDocker(string root)
    {
        var path = Path.Combine(root, "stub-docker");
        if (!File.Exists(path))
        {
            File.WriteAllText(path, """
                #!/bin/sh
                if [ "$1" = ps ]; then
                  echo '{"ID":"0123456789ab","Names":"stub-web-1","State":"running","Status":"Up 1 second","Labels":"com.docker.compose.service=web","Ports":""}'
                fi
                if [ "$1" = image ] && [ "$2" = inspect ]; then
                  echo "sha256:0123456789abcdef $5 $6"
                fi
                exit 0

                """);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
