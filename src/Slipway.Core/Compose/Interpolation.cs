using System.Text;

namespace Slipway.Core.Compose;

/// <summary>
/// Compose variable interpolation, as docker compose v2 (compose-go <c>template</c>) does it:
/// <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>, <c>${VAR:?message}</c>,
/// <c>${VAR?message}</c>, <c>${VAR:+replacement}</c>, <c>${VAR+replacement}</c>, <c>$$</c> for a literal
/// <c>$</c>, and nesting inside the default, message or replacement.
/// </summary>
internal static class Interpolation
{
    /// <summary>Interpolates <paramref name="text"/>; <paramref name="lookup"/> returns null for an unset variable.</summary>
    public static InterpolationResult Apply(string text, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        var evaluator = new Evaluator(text, lookup);
        var value = evaluator.Evaluate(0, text.Length);
        return new InterpolationResult(value, evaluator.Variables, evaluator.Errors, evaluator.Unset);
    }

    /// <summary>Every variable name <paramref name="text"/> refers to, distinct, in order, including those inside defaults.</summary>
    public static IReadOnlyList<string> ReferencedVariables(string text) => Apply(text, static _ => null).Variables;

    private static bool IsNameStart(char c) => c is '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsNameChar(char c) => IsNameStart(c) || char.IsAsciiDigit(c);

    private sealed class Evaluator(string text, Func<string, string?> lookup)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly HashSet<string> _unsetSeen = new(StringComparer.Ordinal);

        public List<string> Variables { get; } = [];

        public List<InterpolationError> Errors { get; } = [];

        public List<string> Unset { get; } = [];

        /// <summary>Evaluates <c>text[start..end)</c>.</summary>
        public string Evaluate(int start, int end)
        {
            var sb = new StringBuilder(end - start);
            var i = start;
            while (i < end)
            {
                var c = text[i];
                if (c != '$' || i + 1 >= end)
                {
                    sb.Append(c);
                    i++;
                    continue;
                }

                var next = text[i + 1];
                if (next == '$')
                {
                    sb.Append('$');
                    i += 2;
                }
                else if (next == '{')
                {
                    i = Braced(i, end, sb);
                }
                else if (IsNameStart(next))
                {
                    var j = i + 1;
                    while (j < end && IsNameChar(text[j]))
                    {
                        j++;
                    }

                    sb.Append(Direct(text[(i + 1)..j]));
                    i = j;
                }
                else
                {
                    // Compose leaves a '$' that does not start a valid expression as it is ("$1", "$ ", "a$-b").
                    sb.Append('$');
                    i++;
                }
            }

            return sb.ToString();
        }

        /// <summary>Evaluates the <c>${...}</c> starting at <paramref name="dollar"/>; returns the index after it.</summary>
        private int Braced(int dollar, int end, StringBuilder sb)
        {
            var close = MatchingBrace(dollar + 1, end);
            if (close < 0)
            {
                Error(dollar, $"unterminated '${{' in '{text[dollar..end]}': missing '}}'");
                return end;
            }

            var expression = text[dollar..(close + 1)];
            var nameStart = dollar + 2;
            var j = nameStart;
            while (j < close && IsNameChar(text[j]))
            {
                j++;
            }

            var name = text[nameStart..j];
            if (name.Length == 0)
            {
                Error(nameStart, j == close
                    ? $"empty variable name in '{expression}'"
                    : $"invalid variable name in '{expression}': a name starts with a letter or '_'");
                return close + 1;
            }

            if (char.IsAsciiDigit(name[0]))
            {
                Error(nameStart, $"invalid variable name '{name}' in '{expression}': a name starts with a letter or '_'");
                return close + 1;
            }

            if (j == close)
            {
                sb.Append(Direct(name));
                return close + 1;
            }

            string op;
            if (text[j] == ':' && j + 1 < close && text[j + 1] is '-' or '?' or '+')
            {
                op = text.Substring(j, 2);
            }
            else if (text[j] is '-' or '?' or '+')
            {
                op = text[j].ToString();
            }
            else
            {
                Error(j, $"invalid interpolation '{expression}': expected '}}', ':-', '-', ':?', '?', ':+' or '+' after the variable name '{name}' (other shell expansions are not supported)");
                return close + 1;
            }

            Reference(name);
            var value = lookup(name);

            // Compose evaluates the word before looking at the variable, so an error inside the word
            // (an unset ${B:?...}) fails even when the word is not used.
            var word = Evaluate(j + op.Length, close);
            var isSet = value is not null;
            var isNonEmpty = !string.IsNullOrEmpty(value);
            switch (op)
            {
                case ":-":
                    sb.Append(isNonEmpty ? value : word);
                    break;
                case "-":
                    sb.Append(isSet ? value : word);
                    break;
                case ":+":
                    sb.Append(isNonEmpty ? word : "");
                    break;
                case "+":
                    sb.Append(isSet ? word : "");
                    break;
                case ":?":
                case "?":
                    if (op == ":?" ? isNonEmpty : isSet)
                    {
                        sb.Append(value);
                    }
                    else
                    {
                        var what = op == ":?" ? "is unset or empty" : "is unset";
                        Error(dollar, word.Length == 0
                            ? $"required variable '{name}' {what}"
                            : $"required variable '{name}' {what}: {word}");
                    }

                    break;
            }

            return close + 1;
        }

        /// <summary>Compose counts every '{' and '}' (not only "${") to find the end of a braced expression.</summary>
        private int MatchingBrace(int open, int end)
        {
            var depth = 0;
            for (var k = open; k < end; k++)
            {
                if (text[k] == '{')
                {
                    depth++;
                }
                else if (text[k] == '}' && --depth == 0)
                {
                    return k;
                }
            }

            return -1;
        }

        private string Direct(string name)
        {
            Reference(name);
            var value = lookup(name);
            if (value is null && _unsetSeen.Add(name))
            {
                Unset.Add(name);
            }

            return value ?? "";
        }

        private void Reference(string name)
        {
            if (_seen.Add(name))
            {
                Variables.Add(name);
            }
        }

        private void Error(int index, string message) => Errors.Add(new InterpolationError(index + 1, message));
    }
}
