using System.Globalization;
using System.Text;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Tracing;

/// <summary>
/// Where a command's time goes (SLIPWAY_TRACE=FILE): marks and spans with wall time, this process's CPU, its children's
/// CPU, and the methods the JIT compiled with the time it took (what ReadyToRun did not cover), one tab-separated line
/// each, written when the command ends. Off, it costs nothing.
/// </summary>
public sealed class RunTrace
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    public RunTrace()
    {
        _ = ProcessClock.Elapsed;
    }

    /// <summary>One moment, counted from the start: <c>mark  WALL_MS  SELF_CPU_MS  CHILDREN_CPU_MS  JIT_METHODS  JIT_MS  WHAT</c>.</summary>
    public void Mark(string what) => Add("mark", Reading.Now(), what);

    /// <summary>Times <paramref name="work"/> as a span: the same figures as a mark, each one spent inside it.</summary>
    public async Task<T> SpanAsync<T>(string what, Func<Task<T>> work)
    {
        var before = Reading.Now();
        try
        {
            return await work();
        }
        finally
        {
            Add("span", Reading.Now() - before, what);
        }
    }

    public void WriteTo(string path)
    {
        var text = new StringBuilder();
        if (ProcessClock.BeforeMain() is { } before) text.Append(CultureInfo.InvariantCulture, $"before-main\t{before.TotalMilliseconds:0.0}\n");
        lock (_gate)
        {
            foreach (var line in _lines) text.Append(line).Append('\n');
        }

        AtomicFile.WriteText(path, text.ToString());
    }

    private void Add(string kind, Reading r, string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{kind}\t{r.Wall.TotalMilliseconds:0.0}\t{r.Self.TotalMilliseconds:0.0}\t{r.Children.TotalMilliseconds:0.0}\t{r.JitMethods}\t{r.Jit.TotalMilliseconds:0.0}\t{what}");
        lock (_gate)
        {
            _lines.Add(line);
        }
    }

    private readonly record struct Reading(TimeSpan Wall, TimeSpan Self, TimeSpan Children, long JitMethods, TimeSpan Jit)
    {
        public static Reading Now() => new(ProcessClock.Elapsed, ProcessClock.SelfCpu, ProcessClock.ChildrenCpu,
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());

        public static Reading operator -(Reading a, Reading b) =>
            new(a.Wall - b.Wall, a.Self - b.Self, a.Children - b.Children, a.JitMethods - b.JitMethods, a.Jit - b.Jit);
    }
}
