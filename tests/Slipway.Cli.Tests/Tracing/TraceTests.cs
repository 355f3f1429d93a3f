using System.Globalization;
using Slipway.Cli.Tests.Commands;
using Slipway.Infrastructure.Tracing;

namespace Slipway.Cli.Tests.Tracing;

public sealed class TraceTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private sealed record Line(string Kind, double Wall, double Self, double Children, long JitMethods, double JitMs, string What);

    private IReadOnlyList<Line> Written(RunTrace trace)
    {
        var file = _cli.Path("trace.tsv");
        trace.WriteTo(file);
        return File.ReadAllLines(file).Where(l => !l.StartsWith("before-main\t", StringComparison.Ordinal)).Select(l =>
        {
            var p = l.Split('\t');
            Assert.Equal(7, p.Length);
            double D(int i) => double.Parse(p[i], CultureInfo.InvariantCulture);
            return new Line(p[0], D(1), D(2), D(3), long.Parse(p[4], CultureInfo.InvariantCulture), D(5), p[6]);
        }).ToList();
    }

    [Fact]
    public async Task A_traced_start_marks_its_phases_in_order_and_has_a_span_for_every_stage_and_child_command()
    {
        var d = await _cli.CreateDeploymentAsync();
        var id = Slipway.Core.Deployments.DeploymentFile.Parse(File.ReadAllText(Path.Combine(d, "deployment.yml")), "deployment.yml").DeploymentId;
        _cli.Runner.On("docker", "compose").Returns(0);
        _cli.Runner.On("docker", "ps").Returns(0, DeploymentOutputTests.HealthyWeb(id));
        var trace = _cli.Trace = new RunTrace();

        var start = await _cli.RunAsync("deployment", "--dir", d, "start");

        Assert.True(start.ExitCode == ExitCodes.Success, start.ToString());
        var lines = Written(trace);
        var marks = lines.Where(l => l.Kind == "mark").ToList();
        Assert.Equal(["parsed", "composed", "deployment opened", "locked", "run recorded", "stages done"], marks.Select(m => m.What));
        // Marks count from the start: every figure only grows.
        foreach (var (earlier, later) in marks.Zip(marks.Skip(1)))
        {
            Assert.True(later.Wall >= earlier.Wall && later.Self >= earlier.Self && later.JitMethods >= earlier.JitMethods, $"{earlier} then {later}");
        }

        var spans = lines.Where(l => l.Kind == "span").Select(l => l.What).ToList();
        Assert.Equal(["prepare", "build", "push", "apply", "verify", "record"], spans.Where(s => s.StartsWith("step ", StringComparison.Ordinal)).Select(s => s.Split(' ')[^1]));
        Assert.Equal(_cli.Runner.Calls.Count, spans.Count(s => s.StartsWith("child ", StringComparison.Ordinal)));
        Assert.Contains(spans, s => s.StartsWith("child docker compose ", StringComparison.Ordinal));
        Assert.All(lines.Where(l => l.Kind == "span"), l => Assert.True(l.Wall >= 0 && l.JitMethods >= 0, l.ToString()));
    }

    [Fact]
    public async Task SLIPWAY_TRACE_makes_the_process_write_its_trace_from_main_to_done_when_it_ends()
    {
        var file = _cli.Path("process-trace.tsv");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(ExitCodes).Assembly.Location, "--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["SLIPWAY_TRACE"] = file },
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        var lines = File.ReadAllLines(file);
        Assert.StartsWith("before-main\t", lines[0], StringComparison.Ordinal);
        var marks = lines.Where(l => l.StartsWith("mark\t", StringComparison.Ordinal)).Select(l => l.Split('\t')[^1]).ToList();
        Assert.Equal("main", marks[0]);
        Assert.Equal("done", marks[^1]);
    }

    [Fact]
    public async Task A_child_span_names_the_command_without_its_absolute_paths()
    {
        var trace = _cli.Trace = new RunTrace();
        _cli.Workspace.WriteFile("stack/stack.yml", "name: shop\ncontainers:\n  - shop/web\npods:\n  - web\n");
        _cli.Workspace.WriteFile("stack/compose/docker-compose-web.yml", "services:\n  web:\n    image: shop/web:local\n");
        _cli.Workspace.WriteFile("stack/container-build/shop-web/Dockerfile", "FROM scratch\n");
        _cli.Runner.On("git").Returns(128, stderr: "fatal: not a git repository\n");
        _cli.Runner.On("docker").Returns(1);

        await _cli.RunAsync("--stack", _cli.Path("stack"), "build-containers");

        var children = Written(trace).Where(l => l.What.StartsWith("child ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(children);
        Assert.All(children, c => Assert.DoesNotContain(_cli.Workspace.Path, c.What));
    }
}
