using System.CommandLine;
using System.CommandLine.Parsing;
using Slipway.Core.Yaml;

namespace Slipway.Cli.Commands;

/// <summary>
/// A command line that does not parse becomes one line: what is wrong, a did-you-mean where one fits, and the help
/// to read. (The parser's own text names .NET types and repeats one mistake as several errors.)
/// </summary>
internal static class UsageErrors
{
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        var help = $"see '{path} --help'";
        return $"error: {Problem(parse, command, path)}; {help}";
    }

    /// <summary>
    /// A service-name argument takes any word, so System.CommandLine hands it an unknown option too
    /// ("start --force-recreate" would look for a service of that name): such a token is an unknown option.
    /// </summary>
    public static string? OptionGivenAsServiceName(ParseResult parse)
    {
        var token = parse.CommandResult.Children.OfType<ArgumentResult>()
            .Where(a => a.Argument.Name is "service" or "services")
            .SelectMany(a => a.Tokens)
            .Select(t => t.Value)
            .FirstOrDefault(v => v.Length > 1 && v[0] == '-');
        if (token is null) return null;
        var path = CommandPath(parse.CommandResult);
        return $"error: unknown option '{token}' for '{path}'{Suggestion(token, OptionNames(parse.CommandResult))}; see '{path} --help'";
    }

    private static string Problem(ParseResult parse, Command command, string path)
    {
        if (parse.UnmatchedTokens.FirstOrDefault() is { } token)
        {
            if (token == "--stack" && path.StartsWith("slipway deployment", StringComparison.Ordinal))
            {
                return "--stack can't be given with the deployment command: the deployment directory names its stack";
            }

            if (token.StartsWith('-'))
            {
                var options = OptionNames(parse.CommandResult);
                return $"unknown option '{token}' for '{path}'{Suggestion(token, options)}";
            }

            if (command.Subcommands.Count > 0)
            {
                var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
                return $"unknown command '{token}' for '{path}'{Suggestion(token, names)}";
            }

            return $"unexpected argument '{token}' for '{path}'";
        }

        // A wrong value says more than a missing option does, so it is the one told.
        var error = parse.Errors.FirstOrDefault(e => Choices(e.Message).Count > 0 || e.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal)) ?? parse.Errors[0];
        var optionResult = error.SymbolResult as OptionResult ?? (error.SymbolResult as ArgumentResult)?.Parent as OptionResult;
        if (Choices(error.Message) is { Count: > 0 } choices && optionResult is { Tokens.Count: > 0 } chosen)
        {
            var given = chosen.Tokens[^1].Value;
            return $"{chosen.Option.Name} must be one of {string.Join(", ", choices)}, not '{given}'{Suggestion(given, choices)}";
        }

        switch (error.SymbolResult)
        {
            case var _ when optionResult is { Tokens.Count: > 0 } option && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal):
                return $"{option.Option.Name} needs {Expected(option.Option.ValueType)}, not '{option.Tokens[0].Value}'";
            case ArgumentResult argument when argument.Tokens.Count > 0 && error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal):
                return $"<{argument.Argument.Name}> needs {Expected(argument.Argument.ValueType)}, not '{argument.Tokens[0].Value}'";
        }

        if (command.Subcommands.Count > 0 && error.SymbolResult is CommandResult { Command: var c } && c == command && !command.Arguments.Any())
        {
            return $"'{path}' needs a command: {string.Join(", ", command.Subcommands.Where(s => !s.Hidden).Select(s => s.Name))}";
        }

        return error.Message.TrimEnd('.');
    }

    /// <summary>The values of System.CommandLine's "Argument 'x' not recognized. Must be one of: 'a' 'b'" message.</summary>
    private static List<string> Choices(string message)
    {
        var at = message.IndexOf("Must be one of:", StringComparison.Ordinal);
        if (at < 0) return [];
        return [.. System.Text.RegularExpressions.Regex.Matches(message[at..], "'([^']*)'").Select(m => m.Groups[1].Value)];
    }

    private static string Suggestion(string token, IEnumerable<string> known) =>
        DidYouMean.Suggest(token, known) is { } best ? $" (did you mean '{best}'?)" : "";

    private static IEnumerable<string> OptionNames(CommandResult result)
    {
        for (SymbolResult? at = result; at is CommandResult current; at = current.Parent)
        {
            foreach (var option in current.Command.Options.Where(o => !o.Hidden && (at == result || o.Recursive)))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases) yield return alias;
            }
        }
    }

    private static string Expected(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) || t == typeof(long) => "a whole number",
            var t when t == typeof(double) => "a number",
            var t when t == typeof(bool) => "true or false",
            var t => $"a {t.Name.ToLowerInvariant()}",
        };

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is CommandResult current; at = current.Parent)
        {
            names.Add(current.Parent is null ? "slipway" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
