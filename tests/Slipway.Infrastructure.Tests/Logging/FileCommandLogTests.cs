using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Logging;

public sealed class FileCommandLogTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 21, 12, 0, 5, 123, TimeSpan.Zero);

    [Fact]
    public void Started_output_exit_and_note_lines_are_written_with_utc_millisecond_timestamps()
    {
        using var workspace = new TempWorkspace();
        var spec = new ProcessSpec("docker", ["compose", "-p", "shop", "up", "-d", "--password", "hunter2-secret"]) { Secrets = ["hunter2-secret"] };

        using (var log = new FileCommandLog(workspace.Combine("run.log"), clock: new FixedClock(Noon.ToOffset(TimeSpan.FromHours(2)))))
        {
            log.Started(spec);
            log.Output(spec, isError: false, "Container shop-web-1  Started");
            log.Output(spec, isError: true, "warning: something");
            log.Exited(spec, new ProcessResult(spec.Display(), 0, "", "", TimeSpan.FromMilliseconds(1234)));
            log.Exited(spec, new ProcessResult(spec.Display(), 137, "", "", TimeSpan.FromSeconds(30)) { TimedOut = true });
            log.Note("two\nlines");
        }

        Golden.AssertMatches(workspace.ReadFile("run.log"), "FileCommandLogTests/started_output_exit_note.log");
    }

    [Fact]
    public void Every_line_is_on_disk_before_the_log_is_closed()
    {
        using var workspace = new TempWorkspace();
        using var log = new FileCommandLog(workspace.Combine("run.log"));

        log.Note("still running");

        using var reader = new StreamReader(new FileStream(log.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.EndsWith("note: still running\n", reader.ReadToEnd());
    }

    [Fact]
    public void The_log_redacts_its_own_secrets_and_the_spec_secrets_in_every_line()
    {
        using var workspace = new TempWorkspace();
        var spec = new ProcessSpec("kubectl", ["apply"]) { Secrets = ["spec-secret-value"] };

        using (var log = new FileCommandLog(workspace.Combine("run.log"), secrets: ["ctor-secret-value"]))
        {
            log.Redact("late-secret-value");
            log.Output(spec, isError: false, "spec-secret-value ctor-secret-value late-secret-value");
            log.Note("ctor-secret-value late-secret-value");
        }

        var text = workspace.ReadFile("run.log");
        Assert.DoesNotContain("secret-value", text);
        Assert.Contains("out| [REDACTED] [REDACTED] [REDACTED]", text);
        Assert.Contains("note: [REDACTED] [REDACTED]", text);
    }

    [Fact]
    public void ForCommand_names_the_file_after_the_utc_time_and_command_and_creates_the_directory()
    {
        using var workspace = new TempWorkspace();

        using var log = FileCommandLog.ForCommand(workspace.Combine("state", "logs"), "deploy", new FixedClock(Noon));

        Assert.Equal(workspace.Combine("state", "logs", "20260321-120005-deploy.log"), log.Path);
        Assert.True(File.Exists(log.Path));
    }

    [Fact]
    public void ForCommand_adds_a_numeric_suffix_when_the_name_is_taken()
    {
        using var workspace = new TempWorkspace();
        var clock = new FixedClock(Noon);

        using var first = FileCommandLog.ForCommand(workspace.Path, "deploy", clock);
        using var second = FileCommandLog.ForCommand(workspace.Path, "deploy", clock);
        using var third = FileCommandLog.ForCommand(workspace.Path, "deploy", clock);

        Assert.Equal(
            ["20260321-120005-deploy.log", "20260321-120005-deploy-2.log", "20260321-120005-deploy-3.log"],
            new[] { first, second, third }.Select(l => Path.GetFileName(l.Path)));
    }

    [Fact]
    public void ForCommand_rejects_a_command_name_that_is_not_a_file_name()
    {
        using var workspace = new TempWorkspace();

        Assert.Throws<ArgumentException>(() => FileCommandLog.ForCommand(workspace.Path, "../escape"));
    }

    [Fact]
    public void The_log_file_is_readable_only_by_its_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var workspace = new TempWorkspace();

        using var log = FileCommandLog.ForCommand(workspace.Path, "deploy");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(log.Path));
    }

    [Fact]
    public void Concurrent_writers_never_interleave_within_a_line()
    {
        using var workspace = new TempWorkspace();
        var spec = new ProcessSpec("sh", []);

        using (var log = new FileCommandLog(workspace.Combine("run.log")))
        {
            Parallel.For(0, 2000, i => log.Output(spec, isError: i % 2 == 0, $"line {i} {new string('x', 200)}"));
        }

        var lines = workspace.ReadFile("run.log").TrimEnd('\n').Split('\n');
        Assert.Equal(2000, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z   (out|err)\| line \d+ x{200}$", line));
    }

    [Fact]
    public void Writing_after_dispose_is_ignored()
    {
        using var workspace = new TempWorkspace();
        var log = new FileCommandLog(workspace.Combine("run.log"));
        log.Dispose();

        log.Note("too late");

        Assert.Equal("", workspace.ReadFile("run.log"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
