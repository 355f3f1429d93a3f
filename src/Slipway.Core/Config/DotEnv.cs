using System.Globalization;
using System.Text;
using Slipway.Core.Compose;

namespace Slipway.Core.Config;

/// <summary>One <c>KEY=value</c> of a dotenv file; <see cref="Line"/> is the 1-based line the key is on.</summary>
public sealed record DotEnvEntry(string Key, string Value, int Line);

/// <summary>A problem in a dotenv file at a 1-based line and column.</summary>
public sealed record DotEnvError(int Line, int Column, string Message);

/// <summary>
/// The outcome of <see cref="DotEnv.Parse"/>: one entry per key in order of first appearance, holding the
/// value of its last assignment (later wins, as in compose).
/// </summary>
public sealed record DotEnvParseResult(
    IReadOnlyList<DotEnvEntry> Entries,
    IReadOnlyList<DotEnvError> Errors,
    IReadOnlyList<DotEnvError> Warnings)
{
    public bool Succeeded => Errors.Count == 0;

    public IReadOnlyDictionary<string, string> ToDictionary() =>
        Entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
}

/// <summary>
/// Dotenv files as docker compose v2 reads them for <c>--env-file</c>, <c>env_file:</c> and <c>.env</c>
/// (compose-go <c>dotenv</c> package), and a writer whose output compose and this parser read back unchanged.
/// </summary>
/// <remarks>
/// Rules, following compose-go v2:
/// <list type="bullet">
/// <item>Blank lines and lines whose first non-blank character is <c>#</c> are skipped; a leading BOM is ignored.</item>
/// <item><c>export KEY=value</c> is the same as <c>KEY=value</c>; blanks around <c>=</c> are allowed.</item>
/// <item>Keys match <c>[A-Za-z_][A-Za-z0-9_.-]*</c> (compose is laxer: it also takes a leading digit, other
/// Unicode letters, <c>[</c> and <c>]</c>).</item>
/// <item>Unquoted values run to the end of the line, are cut at the first <c>" #"</c> and trimmed. As in compose,
/// <c>KEY= # x</c> is the value <c># x</c> because the blanks after <c>=</c> are dropped first.</item>
/// <item><c>'single'</c> values are literal (only <c>\'</c> is unescaped) and may span lines.</item>
/// <item><c>"double"</c> values may span lines and understand <c>\n \r \t \a \b \f \v \\ \" \$</c> and
/// <c>\0NNN</c> (octal); other backslashes stay.</item>
/// <item>Unquoted and double-quoted values are interpolated like a compose file (<c>$VAR</c>, <c>${VAR:-x}</c>,
/// <c>$$</c>, ...): a name resolves from the lookup first, then from keys earlier in the file; an unresolved one
/// becomes empty with a warning. Single-quoted values are not interpolated.</item>
/// <item>After a closing quote only blanks and a <c># comment</c> may follow.</item>
/// </list>
/// Deliberately stricter than compose, which would otherwise read a typo silently: a bare <c>KEY</c> line
/// (compose copies <c>KEY</c> from the environment) and the YAML-style <c>KEY: value</c> are errors.
/// </remarks>
public static class DotEnv
{
    /// <summary>Parses dotenv text; <paramref name="lookup"/> resolves interpolated names first (null: unset).</summary>
    public static DotEnvParseResult Parse(string text, Func<string, string?>? lookup = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text, lookup).Run();
    }

    /// <summary>True when <paramref name="key"/> matches <c>[A-Za-z_][A-Za-z0-9_.-]*</c>.</summary>
    public static bool IsValidKey(string key) =>
        key.Length > 0 && IsKeyStart(key[0]) && key.All(IsKeyChar);

    /// <summary>
    /// Writes <c>KEY=value</c> lines, after <paramref name="header"/> as <c># </c> comment lines. Values are
    /// plain when every character is in <c>[A-Za-z0-9_./:@%+,=~-]</c>; otherwise single-quoted when that is
    /// literal (no <c>'</c>, no line break, no trailing <c>\</c>); otherwise double-quoted with
    /// <c>\\ \" \n \r \$</c> escapes. A <c>$</c> is therefore never left where compose would interpolate it:
    /// compose expands <c>$</c> in unquoted and double-quoted values only.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not <see cref="IsValidKey">valid</see>.</exception>
    public static string Render(IEnumerable<KeyValuePair<string, string>> entries, string? header = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        if (header is not null)
        {
            foreach (var line in header.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                sb.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
            }
        }

        foreach (var (key, value) in entries)
        {
            if (!IsValidKey(key))
            {
                throw new ArgumentException($"invalid dotenv key '{key}'", nameof(entries));
            }

            sb.Append(key).Append('=').Append(Quote(value ?? "")).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The value as <see cref="Render"/> writes it after the <c>=</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.All(IsPlainChar))
        {
            return value;
        }

        if (!value.Contains('\'') && !value.Contains('\n') && !value.Contains('\r') && !value.EndsWith('\\'))
        {
            return "'" + value + "'";
        }

        var sb = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '$' => @"\$",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static bool IsPlainChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '@' or '%' or '+' or ',' or '=' or '~' or '-';

    private static bool IsKeyStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    /// <summary>Blanks within a line, as compose's isSpace (no line feed).</summary>
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r' or '\u0085' or '\u00A0';

    private sealed class Parser
    {
        private readonly string _text;
        private readonly Func<string, string?>? _lookup;
        private readonly List<int> _lineStarts = [0];
        private readonly List<DotEnvEntry> _entries = [];
        private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);
        private readonly List<DotEnvError> _errors = [];
        private readonly List<DotEnvError> _warnings = [];

        public Parser(string text, Func<string, string?>? lookup)
        {
            // Compose skips a BOM (some Windows editors write one); CRLF files read as LF.
            _text = (text.StartsWith('\uFEFF') ? text[1..] : text).Replace("\r\n", "\n", StringComparison.Ordinal);
            _lookup = lookup;
            for (var i = 0; i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        public DotEnvParseResult Run()
        {
            var i = 0;
            while (i < _text.Length)
            {
                var c = _text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c == '#')
                {
                    i = LineEnd(i);
                }
                else
                {
                    i = Statement(i);
                }
            }

            return new DotEnvParseResult(_entries, _errors, _warnings);
        }

        /// <summary>Parses one statement starting at <paramref name="start"/>; returns where to continue.</summary>
        private int Statement(int start)
        {
            var lineEnd = LineEnd(start);
            var i = start;
            if (string.CompareOrdinal(_text, i, "export", 0, 6) == 0 && i + 6 < lineEnd && IsBlank(_text[i + 6]))
            {
                i = SkipBlanks(i + 6, lineEnd);
            }

            var keyStart = i;
            while (i < lineEnd && IsKeyChar(_text[i]))
            {
                i++;
            }

            var key = _text[keyStart..i];
            var afterKey = SkipBlanks(i, lineEnd);
            if (key.Length == 0)
            {
                Error(keyStart, _text[keyStart] == '='
                    ? "missing key before '='"
                    : $"invalid character '{_text[keyStart]}' at the start of a key");
                return lineEnd;
            }

            if (!IsKeyStart(key[0]))
            {
                Error(keyStart, $"invalid key '{key}': a key starts with a letter or '_'");
                return lineEnd;
            }

            if (afterKey >= lineEnd)
            {
                Error(afterKey, $"missing '=' after key '{key}'", "compose would copy a bare key from the environment; write KEY=value");
                return lineEnd;
            }

            if (_text[afterKey] != '=')
            {
                if (afterKey == i)
                {
                    var hint = _text[afterKey] == ':' ? "write KEY=value, not KEY: value" : null;
                    Error(afterKey, $"invalid character '{_text[afterKey]}' in key '{key}{_text[afterKey]}...'", hint);
                }
                else
                {
                    Error(afterKey, $"expected '=' after key '{key}'");
                }

                return lineEnd;
            }

            var valueStart = SkipBlanks(afterKey + 1, lineEnd);
            if (valueStart < _text.Length && _text[valueStart] is '\'' or '"')
            {
                return Quoted(key, keyStart, valueStart);
            }

            var raw = _text[valueStart..lineEnd];
            var comment = raw.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0)
            {
                raw = raw[..comment];
            }

            Add(key, keyStart, Interpolate(raw.TrimEnd(), valueStart));
            return lineEnd;
        }

        private int Quoted(string key, int keyStart, int open)
        {
            var quote = _text[open];
            var sb = new StringBuilder();
            var escaped = false;
            var k = open + 1;
            for (; k < _text.Length; k++)
            {
                var c = _text[k];
                if (escaped)
                {
                    // Compose drops the backslash of an escaped quote only; "\x" stays "\x" at this stage.
                    if (c != quote)
                    {
                        sb.Append('\\');
                    }

                    sb.Append(c);
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == quote)
                {
                    break;
                }
                else
                {
                    sb.Append(c);
                }
            }

            if (k >= _text.Length)
            {
                Error(open, $"unterminated quoted value for key '{key}': missing closing {quote}");
                return _text.Length;
            }

            var lineEnd = LineEnd(k);
            var rest = SkipBlanks(k + 1, lineEnd);
            if (rest < lineEnd && _text[rest] != '#')
            {
                Error(rest, $"unexpected text after the closing {quote} of key '{key}'", "quote the whole value, or start a comment with ' #'");
                return lineEnd;
            }

            var value = quote == '"' ? Interpolate(ExpandEscapes(sb.ToString()), open + 1) : sb.ToString();
            Add(key, keyStart, value);
            return lineEnd;
        }

        /// <summary>
        /// Compose's second pass over double-quoted values. <c>\$</c> becomes <c>$$</c> so that interpolation
        /// turns it into a literal <c>$</c>.
        /// </summary>
        private static string ExpandEscapes(string value)
        {
            var sb = new StringBuilder(value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c != '\\' || i + 1 >= value.Length)
                {
                    sb.Append(c);
                    continue;
                }

                var next = value[i + 1];
                string? replacement = next switch
                {
                    'a' => "\a",
                    'b' => "\b",
                    'f' => "\f",
                    'n' => "\n",
                    'r' => "\r",
                    't' => "\t",
                    'v' => "\v",
                    '\\' => "\\",
                    '"' => "\"",
                    '$' => "$$",
                    _ => null,
                };
                if (replacement is not null)
                {
                    sb.Append(replacement);
                    i++;
                }
                else if (next == '0' && TryOctal(value, i + 2, out var octal))
                {
                    sb.Append(octal);
                    i += 4;
                }
                else
                {
                    sb.Append(c);
                }
            }

            return sb.ToString();
        }

        /// <summary><c>\0NNN</c> with three octal digits up to 377, as Go's UnquoteChar reads <c>\NNN</c>.</summary>
        private static bool TryOctal(string value, int start, out char octal)
        {
            octal = '\0';
            if (start + 3 > value.Length || value.AsSpan(start, 3).ContainsAnyExcept("01234567"))
            {
                return false;
            }

            var code = int.Parse(value.AsSpan(start, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            code = (code / 100 * 64) + (code / 10 % 10 * 8) + (code % 10);
            if (code > 255)
            {
                return false;
            }

            octal = (char)code;
            return true;
        }

        private string Interpolate(string value, int at)
        {
            var result = Interpolation.Apply(value, name =>
                _lookup?.Invoke(name) ?? (_indexByKey.TryGetValue(name, out var index) ? _entries[index].Value : null));
            foreach (var error in result.Errors)
            {
                Error(at + error.Column - 1, error.Message);
            }

            foreach (var name in result.Unset)
            {
                var (line, column) = Position(at);
                _warnings.Add(new DotEnvError(line, column, $"variable '{name}' is not set; substituting an empty string"));
            }

            return result.Value;
        }

        private void Add(string key, int keyStart, string value)
        {
            var (line, column) = Position(keyStart);
            if (_indexByKey.TryGetValue(key, out var index))
            {
                _warnings.Add(new DotEnvError(line, column, $"key '{key}' is set again (line {_entries[index].Line}); the later value wins"));
                _entries[index] = new DotEnvEntry(key, value, line);
                return;
            }

            _indexByKey[key] = _entries.Count;
            _entries.Add(new DotEnvEntry(key, value, line));
        }

        private int LineEnd(int from)
        {
            var end = _text.IndexOf('\n', from);
            return end < 0 ? _text.Length : end;
        }

        private int SkipBlanks(int from, int end)
        {
            while (from < end && IsBlank(_text[from]))
            {
                from++;
            }

            return from;
        }

        private (int Line, int Column) Position(int index)
        {
            var line = _lineStarts.BinarySearch(index);
            if (line < 0)
            {
                line = ~line - 1;
            }

            return (line + 1, index - _lineStarts[line] + 1);
        }

        private void Error(int index, string message, string? hint = null)
        {
            var (line, column) = Position(index);
            _errors.Add(new DotEnvError(line, column, hint is null ? message : $"{message} ({hint})"));
        }
    }
}
