using Slipway.Infrastructure.Processes;
using Xunit;

namespace Slipway.TestKit;

/// <summary>
/// An <see cref="IProcessRunner"/> that runs nothing: it records every spec in <see cref="Calls"/> and answers from
/// rules tried in the order they were added (<see cref="On"/>, <see cref="OnContaining"/>). Unmatched calls exit with
/// <see cref="DefaultExitCode"/>, or fail the test when <see cref="Strict"/>.
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    /// <summary>What a real runner reports for a child killed with SIGKILL (128 + 9).</summary>
    public const int KilledExitCode = 137;

    private readonly Lock _gate = new();
    private readonly List<ProcessSpec> _calls = [];
    private readonly List<FakeProcessRule> _rules = [];

    public int DefaultExitCode { get; set; }

    /// <summary>When true an unmatched call throws instead of succeeding silently.</summary>
    public bool Strict { get; set; }

    public IReadOnlyList<ProcessSpec> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Matches when the argv (file name, then arguments) starts with <paramref name="argvPrefix"/>.</summary>
    public FakeProcessRule On(params string[] argvPrefix) =>
        AddRule($"On({Describe(argvPrefix)})", argv => argv.Count >= argvPrefix.Length && argv.Take(argvPrefix.Length).SequenceEqual(argvPrefix, StringComparer.Ordinal));

    /// <summary>Matches when the argv contains <paramref name="sequence"/> contiguously, anywhere.</summary>
    public FakeProcessRule OnContaining(params string[] sequence) =>
        AddRule($"OnContaining({Describe(sequence)})", argv => ContainsSequence(argv, sequence));

    /// <summary>Each call as its display string (<see cref="ProcessSpec.Display"/>), in call order.</summary>
    public IReadOnlyList<string> CallLines() => [.. Calls.Select(c => c.Display())];

    /// <summary>The one call matching <paramref name="predicate"/>; fails listing every call otherwise.</summary>
    public ProcessSpec Single(Func<ProcessSpec, bool> predicate)
    {
        var calls = Calls;
        var matches = calls.Where(predicate).ToList();
        if (matches.Count != 1)
        {
            Assert.Fail($"Expected exactly one matching call but found {matches.Count}. Calls:\n{FormatCalls(calls)}");
        }

        return matches[0];
    }

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();

        FakeProcessRule? rule;
        lock (_gate)
        {
            _calls.Add(spec);
            IReadOnlyList<string> argv = [spec.FileName, .. spec.Arguments];
            rule = _rules.FirstOrDefault(r => r.TryClaim(argv));
        }

        if (rule is null)
        {
            if (Strict)
            {
                throw new InvalidOperationException($"FakeProcessRunner (strict) has no rule for: {spec.Display()}\nRules: {string.Join("; ", _rules)}");
            }

            return Task.FromResult(new ProcessResult(spec.Display(), DefaultExitCode, "", "", TimeSpan.Zero));
        }

        return Task.FromResult(rule.Answer(spec));
    }

    private FakeProcessRule AddRule(string description, Func<IReadOnlyList<string>, bool> matches)
    {
        var rule = new FakeProcessRule(description, matches);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    private static bool ContainsSequence(IReadOnlyList<string> argv, string[] sequence)
    {
        for (var start = 0; start + sequence.Length <= argv.Count; start++)
        {
            if (argv.Skip(start).Take(sequence.Length).SequenceEqual(sequence, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(string[] argv) => string.Join(", ", argv.Select(a => $"\"{a}\""));

    private static string FormatCalls(IReadOnlyList<ProcessSpec> calls) =>
        calls.Count == 0 ? "  (none)" : string.Join('\n', calls.Select(c => "  $ " + c.Display()));
}

/// <summary>One scripted answer of a <see cref="FakeProcessRunner"/>. Without an answer it returns exit code 0.</summary>
public sealed class FakeProcessRule
{
    private readonly string _description;
    private readonly Func<IReadOnlyList<string>, bool> _matches;
    private Func<ProcessSpec, ProcessResult> _respond;
    private int? _remaining;

    internal FakeProcessRule(string description, Func<IReadOnlyList<string>, bool> matches)
    {
        _description = description;
        _matches = matches;
        _respond = spec => Script(spec, 0, "", "");
    }

    /// <summary>Answers with this exit code and output; each line is also passed to the spec's callbacks, redacted.</summary>
    public FakeProcessRule Returns(int exitCode, string stdout = "", string stderr = "")
    {
        _respond = spec => Script(spec, exitCode, stdout, stderr);
        return this;
    }

    public FakeProcessRule Throws(Exception exception)
    {
        _respond = _ => throw exception;
        return this;
    }

    /// <summary>Answers as the real runner does after killing a child at its timeout.</summary>
    public FakeProcessRule TimesOut()
    {
        _respond = spec => Script(spec, FakeProcessRunner.KilledExitCode, "", "") with { Duration = spec.Timeout ?? TimeSpan.Zero, TimedOut = true };
        return this;
    }

    public FakeProcessRule Responds(Func<ProcessSpec, ProcessResult> respond)
    {
        _respond = respond;
        return this;
    }

    /// <summary>Lets the rule answer only the next <paramref name="count"/> matching calls, so later rules can answer the rest (e.g. fail, then succeed).</summary>
    public FakeProcessRule Times(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _remaining = count;
        return this;
    }

    public FakeProcessRule Once() => Times(1);

    public override string ToString() => _description;

    internal bool TryClaim(IReadOnlyList<string> argv)
    {
        if (_remaining == 0 || !_matches(argv))
        {
            return false;
        }

        _remaining--;
        return true;
    }

    internal ProcessResult Answer(ProcessSpec spec) => _respond(spec);

    private static ProcessResult Script(ProcessSpec spec, int exitCode, string stdout, string stderr)
    {
        stdout = SecretRedactor.Redact(stdout, spec.Secrets);
        stderr = SecretRedactor.Redact(stderr, spec.Secrets);
        foreach (var line in Lines(stdout))
        {
            spec.OnStandardOutput?.Invoke(line);
        }

        foreach (var line in Lines(stderr))
        {
            spec.OnStandardError?.Invoke(line);
        }

        return new ProcessResult(spec.Display(), exitCode, stdout, stderr, TimeSpan.Zero);
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Length == 0 ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
