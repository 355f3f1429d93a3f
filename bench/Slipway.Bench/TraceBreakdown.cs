using System.Globalization;

namespace Slipway.Bench;

/// <summary>
/// Where a command's time goes, from the traces it wrote (SLIPWAY_TRACE): per phase between two marks, and per step
/// and child command, the median wall time, CPU of the slipway process itself, and CPU of its children.
/// </summary>
internal static class TraceBreakdown
{
    public static IReadOnlyList<string> Lines(IReadOnlyList<string> traceFiles)
    {
        var rows = new Dictionary<string, List<(double Wall, double Self, double Children, double Jit, double JitMs)>>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string key, double wall, double self, double children, double jit = 0, double jitMs = 0)
        {
            if (!rows.TryGetValue(key, out var list))
            {
                rows[key] = list = [];
                order.Add(key);
            }

            list.Add((wall, self, children, jit, jitMs));
        }

        foreach (var file in traceFiles)
        {
            var previous = (Wall: 0.0, Self: 0.0, Children: 0.0, Jit: 0.0, JitMs: 0.0);
            foreach (var line in File.ReadLines(file))
            {
                var p = line.Split('\t');
                double D(int i) => double.Parse(p[i], CultureInfo.InvariantCulture);
                switch (p[0])
                {
                    case "before-main":
                        Add("runtime start, until Main (wall only)", D(1), 0, 0);
                        break;
                    case "mark":
                        Add($"until '{p[6]}'", D(1) - previous.Wall, D(2) - previous.Self, D(3) - previous.Children, D(4) - previous.Jit, D(5) - previous.JitMs);
                        previous = (D(1), D(2), D(3), D(4), D(5));
                        break;
                    case "span":
                        Add($"  {Shorten(p[6])}", D(1), D(2), D(3), D(4), D(5));
                        break;
                }
            }
        }

        static string M(List<(double Wall, double Self, double Children, double Jit, double JitMs)> xs, Func<(double Wall, double Self, double Children, double Jit, double JitMs), double> f) =>
            Stats.Ms(Stats.Median(xs.Select(f).ToList()));
        var width = Math.Max(40, order.Max(k => k.Length));
        var lines = new List<string> { $"{"phase (marks) / step or child (indented)".PadRight(width)}  {"wall",6}  {"self cpu",8}  {"children cpu",12}  {"jit methods",11}  {"jit ms",6}" };
        lines.AddRange(order.Select(k => $"{k.PadRight(width)}  {M(rows[k], r => r.Wall),6}  {M(rows[k], r => r.Self),8}  {M(rows[k], r => r.Children),12}  {M(rows[k], r => r.Jit),11}  {M(rows[k], r => r.JitMs),6}"));
        lines.Add("(the 'until' rows are between marks and add up to the whole run; the indented spans lie inside them; the self cpu at 'main' includes the runtime's start; jit: methods ReadyToRun did not cover, compiled at run time, and the time that took)");
        return lines;
    }

    private static string Shorten(string what) => what.Length > 70 ? what[..67] + "..." : what;
}
