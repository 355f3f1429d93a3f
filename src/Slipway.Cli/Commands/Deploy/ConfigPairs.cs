using Slipway.Core.Diagnostics;

namespace Slipway.Cli.Commands.Deploy;

internal static class ConfigPairs
{
    /// <summary>
    /// <c>--config A=1,B=2</c> (laconic-so) and repeated <c>--config A=1 --config B=2</c>. A value may contain '=',
    /// and a comma piece without '=' continues the previous value, so <c>GREETING=Hello, world</c> works.
    /// </summary>
    public static List<KeyValuePair<string, string>> Parse(IEnumerable<string> values)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var value in values)
        {
            var first = true;
            foreach (var item in value.Split(','))
            {
                var equals = item.IndexOf('=');
                if (equals > 0 && Slipway.Core.Names.IsValidEnvName(item[..equals].Trim()))
                {
                    pairs.Add(new(item[..equals].Trim(), item[(equals + 1)..]));
                }
                else if (!first && pairs.Count > 0)
                {
                    var last = pairs[^1];
                    pairs[^1] = new(last.Key, last.Value + "," + item);
                }
                else
                {
                    throw new SlipwayException(FailureReason.InvalidInput, $"--config '{item}' is not KEY=VALUE (KEY: letters, digits and '_')");
                }

                first = false;
            }
        }

        return pairs;
    }
}
