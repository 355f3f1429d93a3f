using System.Globalization;
using Slipway.Infrastructure.Backends.Compose;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Tools;

namespace Slipway.Bench;

/// <summary>
/// 5. GitOps restart with nothing to do, on a deployment whose spec and stack live in a git checkout with an upstream,
/// against what an operator would run by hand for the same result: `git pull --ff-only` of that checkout, then the
/// same `docker compose up --wait` (same files, same image pins) that changes nothing.
/// </summary>
internal sealed partial class Bench
{
    public async Task RestartVsRawAsync(int runs)
    {
        Line($"[5] no-op restart (git-tracked spec and stack) vs raw `git pull --ff-only` + `docker compose up --wait` (stacks/hello), N={runs}; {Load()}");
        var root = Directory.CreateTempSubdirectory("slipway-bench-restart-").FullName;
        string? dir = null;
        try
        {
            // The operator's repository: the stack and a spec beside it, pushed to a bare remote and checked out.
            var author = Path.Combine(root, "author");
            CopyDirectory(_helloStack, Path.Combine(author, "stacks", "hello"));
            var spec = Path.Combine(author, "deployments", "hello", "spec.yml");
            Directory.CreateDirectory(Path.GetDirectoryName(spec)!);
            Check(await RunAsync(_cli, ["--stack", Path.Combine(author, "stacks", "hello"), "deploy", "init", "--output", spec, "--map-ports-to-host", "localhost-fixed-random", "--config", "GREETING=restart-bench"], root), "deploy init");
            foreach (var args in new[]
            {
                new[] { "init", "-q", "-b", "main", author },
                ["-C", author, "add", "-A"],
                ["-C", author, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "commit", "-q", "-m", "hello"],
                ["clone", "-q", "--bare", author, Path.Combine(root, "remote.git")],
                ["clone", "-q", Path.Combine(root, "remote.git"), Path.Combine(root, "checkout")],
            })
            {
                Check(await RunAsync("git", args, root), "git " + string.Join(' ', args.Take(3)));
            }

            var checkout = Path.Combine(root, "checkout");
            dir = Path.Combine(root, "deployment");
            Check(await RunAsync(_cli, ["deploy", "create", "--spec-file", Path.Combine(checkout, "deployments", "hello", "spec.yml"), "--deployment-dir", dir], root), "deploy create");
            Task<RunResult> Slipway(params string[] a) => RunAsync(_cli, ["-q", "deployment", "--dir", dir, .. a], root);
            Check(await Slipway("start"), "slipway start (first)");
            Check(await Slipway("restart"), "slipway restart (warm-up)");

            var deployment = DeploymentSession.Open(dir);
            var backend = new ComposeBackend(deployment, new Docker(new SystemProcessRunner()));
            IReadOnlyList<string> up = backend.Compose.ProjectArguments("up", "--detach", "--wait", "--wait-timeout", "300", "--remove-orphans");
            if (File.Exists(backend.ImagePinsFile)) up = WithFile(up, backend.ImagePinsFile);
            var unset = new List<string> { "COMPOSE_PROJECT_NAME", "COMPOSE_FILE", "COMPOSE_PROFILES", "COMPOSE_ENV_FILES", "COMPOSE_STATUS_STDOUT" };
            unset.AddRange(deployment.Config.Select(c => c.Key));

            var slip = new List<RunResult>();
            var raw = new List<RunResult>();
            var rawPull = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                foreach (var which in i % 2 == 0 ? new[] { "slipway", "raw" } : ["raw", "slipway"])
                {
                    ct.ThrowIfCancellationRequested();
                    if (which == "slipway")
                    {
                        slip.Add(Check(await Slipway("restart"), "slipway restart (no change)"));
                        continue;
                    }

                    var pull = Check(await RunAsync("git", ["-C", checkout, "pull", "--ff-only", "-q"], root), "git pull --ff-only");
                    var compose = Check(await RunAsync("docker", up, dir, unset), "raw compose up --wait (no change)");
                    rawPull.Add(pull.Ms);
                    raw.Add(new RunResult(0, pull.Ms + compose.Ms, pull.CpuMs + compose.CpuMs, "", ""));
                }
            }

            Add(Row.Of("5 restart (no change)", "slipway restart", slip));
            Add(Row.Of("5 restart (no change)", "raw git pull --ff-only + compose up --wait", raw));
            Add(new Row("5 restart (no change)", "  raw: its git pull", rawPull));
            var ratio = Stats.Median(slip.Select(r => r.Ms).ToList()) / Stats.Median(raw.Select(r => r.Ms).ToList());
            Line($"    ratio slipway restart / raw pull + up: {ratio.ToString("0.00", CultureInfo.InvariantCulture)}");
            Target("no-op restart: slipway/raw (git pull + compose up) <= 1.3", ratio, ratio <= 1.3, ratio: true);
        }
        finally
        {
            if (dir is not null && Directory.Exists(dir))
            {
                await RunAsync(_cli, ["deployment", "--dir", dir, "stop", "--delete-volumes"], root, token: CancellationToken.None);
            }

            TryDelete(root);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }
}
