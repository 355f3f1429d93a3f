using System.CommandLine;
using System.Text;
using System.Text.Json;
using Slipway.Cli.Commands.Deployment;
using Slipway.Cli.Output;
using Slipway.Infrastructure.Fleet;

namespace Slipway.Cli.Commands.Fleet;

/// <summary>
/// <c>slipway fleet check-host</c> (hidden: the orchestrator's prepare script runs it on each host over SSH): this host's
/// Slipway version, each spec valid at the exported commit, each D's state and plan, as one JSON object on stdout. One
/// CLI start per host instead of one for the version and one per spec and plan.
/// </summary>
internal static class FleetHostCheckCommand
{
    public static Command Create(CliContext cli)
    {
        var root = new Option<string?>("--root") { Description = "The commit exported on this host (empty: the specs are not checked)" };
        var plan = new Option<bool>("--plan") { Description = "Also plan each existing deployment directory" };
        var request = new Option<string>("--deployments") { Description = "JSON: [{\"name\": N, \"spec\": PATH IN THE EXPORT, \"dir\": D}, ...]", Required = true };
        var command = new Command("check-host", "Prepare's checks that need Slipway, on this host, as JSON (run by fleet deploy and fleet plan over SSH)") { root, plan, request };
        command.Hidden = true;
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            List<HostCheckDeployment> deployments;
            try
            {
                using var json = JsonDocument.Parse(parse.GetValue(request)!);
                deployments = [.. json.RootElement.EnumerateArray().Select(d => new HostCheckDeployment(
                    d.GetProperty("name").GetString()!, d.GetProperty("spec").GetString()!, d.GetProperty("dir").GetString()!))];
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                cli.Ui.Fail("--deployments is not the JSON the orchestrator sends: " + ex.Message);
                return ExitCodes.UsageError;
            }

            var exported = parse.GetValue(root) is { Length: > 0 } r ? r : null;
            var (checks, plans) = await new FleetHostCheck(env).RunAsync(exported, parse.GetValue(plan), deployments, ct);
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteString("version", VersionCommand.Text);
                w.WriteStartArray("checks");
                foreach (var c in checks)
                {
                    w.WriteStartObject();
                    w.WriteString("deployment", c.Deployment);
                    w.WriteString("name", c.Name);
                    w.WriteString("status", c.Status);
                    w.WriteString("detail", c.Detail);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartObject("plans");
                foreach (var (name, result) in plans)
                {
                    w.WritePropertyName(name);
                    w.WriteRawValue(JsonSerializer.Serialize(PlanCommand.Json(result), OutputJson.Default.PlanJson));
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            cli.Ui.Result(Encoding.UTF8.GetString(stream.ToArray()));
            return ExitCodes.Success;
        }));
        return command;
    }
}
