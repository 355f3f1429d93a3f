using System.Diagnostics;
using Slipway.Infrastructure.Reporting;
using Spectre.Console;

namespace Slipway.Cli.Console;

/// <summary>
/// All human output. Progress and messages go to stderr, results (tables, JSON, a port) to stdout, so
/// <c>$(slipway ... port web 80)</c> and <c>--output json</c> stay clean. On a terminal a step shows a live spinner with
/// the latest child line; otherwise (CI, redirected) one plain line per step, because Spectre's fallback prints almost nothing.
/// </summary>
internal sealed class ConsoleUi : IReporter
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly Lazy<IAnsiConsole> _live;
    private int _liveActive;

    public ConsoleUi(TextWriter output, TextWriter error, bool interactive)
    {
        _out = output;
        _err = error;
        Interactive = interactive;
        _live = new Lazy<IAnsiConsole>(() => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(_err),
        }));
    }

    public bool Interactive { get; }

    /// <summary>Both stdin and stdout are a terminal: exec may give the command a TTY.</summary>
    public bool HasTerminal { get; init; }

    /// <summary>stdout is a terminal: a tool may write there itself; otherwise its lines pass through Slipway without control codes.</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>Set from <c>--quiet</c> once the command line is parsed.</summary>
    public bool Quiet { get; set; }

    public TextWriter Out => _out;

    public TextWriter Error => _err;

    /// <summary>True when stderr is a terminal and nothing asks for plain output (CI, NO_COLOR, TERM=dumb).</summary>
    public static bool DetectInteractive() =>
        !System.Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public void Result(string line) => _out.WriteLine(line);

    public void Info(string message)
    {
        if (!Quiet) _err.WriteLine(message);
    }

    public void Warn(string message) => _err.WriteLine($"warning: {message}");

    public void Detail(string message)
    {
        if (!Quiet) _err.WriteLine($"  {message}");
    }

    public void Fail(string message) => _err.WriteLine($"error: {message}");

    public async Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            T result;
            if (Interactive && Interlocked.CompareExchange(ref _liveActive, 1, 0) == 0)
            {
                try
                {
                    result = await _live.Value.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(title), async ctx =>
                        await work(line => ctx.Status(Markup.Escape($"{title}: {Shorten(line)}"))));
                }
                finally
                {
                    Interlocked.Exchange(ref _liveActive, 0);
                }
            }
            else
            {
                if (!Quiet) _err.WriteLine($"… {title}");
                result = await work(_ => { });
            }

            if (!Quiet) _err.WriteLine($"✓ {title} ({watch.Elapsed.TotalSeconds:0.0}s)");
            return result;
        }
        catch
        {
            _err.WriteLine($"✗ {title} ({watch.Elapsed.TotalSeconds:0.0}s)");
            throw;
        }
    }

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToList();
        _out.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in all)
        {
            _out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string Shorten(string line) => line.Length > 100 ? line[..97] + "..." : line;
}
