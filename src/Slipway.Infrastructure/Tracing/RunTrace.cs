using System.Globalization;
using System.Text;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Tracing;

/// <summary>
/// Where a command's time goes (SLIPWAY_TRACE=FILE): marks and spans with wall time since start, this process's CPU
/// and its children's CPU, one tab-separated line each, written when the command ends. Off, it costs nothing.
/// </summary>
public sealed class RunTrace
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    public RunTrace()
    {
        _ = ProcessClock.Elapsed;
    }

    /// <summary>One moment: <c>mark  WALL_MS  SELF_CPU_MS  CHILDREN_CPU_MS  WHAT</c>.</summary>
    public void Mark(string what) => Add("mark", ProcessClock.Elapsed, ProcessClock.SelfCpu, ProcessClock.ChildrenCpu, what);

    /// <summary>A span that ended now: <c>span  WALL_MS  SELF_CPU_MS  CHILDREN_CPU_MS  WHAT</c>, each figure spent inside it.</summary>
    public void Span(string what, TimeSpan wall, TimeSpan selfCpu, TimeSpan childrenCpu) => Add("span", wall, selfCpu, childrenCpu, what);

    /// <summary>Times <paramref name="work"/> as a span.</summary>
    public async Task<T> SpanAsync<T>(string what, Func<Task<T>> work)
    {
        var (wall, self, children) = (ProcessClock.Elapsed, ProcessClock.SelfCpu, ProcessClock.ChildrenCpu);
        try
        {
            return await work();
        }
        finally
        {
            Span(what, ProcessClock.Elapsed - wall, ProcessClock.SelfCpu - self, ProcessClock.ChildrenCpu - children);
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

    private void Add(string kind, TimeSpan wall, TimeSpan self, TimeSpan children, string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{kind}\t{wall.TotalMilliseconds:0.0}\t{self.TotalMilliseconds:0.0}\t{children.TotalMilliseconds:0.0}\t{what}");
        lock (_gate)
        {
            _lines.Add(line);
        }
    }
}
