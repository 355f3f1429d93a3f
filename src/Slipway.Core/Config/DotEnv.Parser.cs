using System.Globalization;
using System.Text;
using Slipway.Core.Compose;

namespace Slipway.Core.Config;

public static partial class DotEnv
{
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
            if (_text.IndexOf('=', i, lineEnd - i) < 0)
            {
                // Env files hold secrets: a line that is not KEY=value may be a pasted secret, so its text is not quoted.
                var afterName = i;
                while (afterName < lineEnd && IsKeyChar(_text[afterName])) afterName++;
                Error(keyStart, "this line has no '=': every line of an env file is KEY=value (the line is not shown: it may hold a secret)",
                    afterName < lineEnd && _text[afterName] == ':' ? "write KEY=value, not KEY: value" : "compose would copy a bare KEY from the environment; write KEY=value");
                return lineEnd;
            }

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
                Error(at + error.Column - 1, WithoutValue(error.Message));
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

        /// <summary>An interpolation message that quotes nothing of the value (env-file values are secrets); variable names stay.</summary>
        private static string WithoutValue(string message)
        {
            if (message.StartsWith("required variable ", StringComparison.Ordinal))
            {
                var colon = message.IndexOf(": ", StringComparison.Ordinal);
                return colon < 0 ? message : message[..colon];
            }

            return message switch
            {
                _ when message.StartsWith("unterminated", StringComparison.Ordinal) => "unterminated '${' in the value: missing '}'",
                _ when message.StartsWith("empty variable name", StringComparison.Ordinal) => "empty variable name '${}' in the value",
                _ when message.StartsWith("invalid variable name", StringComparison.Ordinal) => "invalid variable name in the value: a name starts with a letter or '_'",
                _ => "invalid interpolation in the value: expected '}', ':-', '-', ':?', '?', ':+' or '+' after a variable name (other shell expansions are not supported)",
            };
        }

        private void Error(int index, string message, string? hint = null)
        {
            var (line, column) = Position(index);
            _errors.Add(new DotEnvError(line, column, hint is null ? message : $"{message} ({hint})"));
        }
    }
}
