using System.Text.Json;
using Slipway.Cli.Console;
using Slipway.Infrastructure.Backends;

namespace Slipway.Cli.Output;

/// <summary>The containers or pods of a deployment: a table, or JSON on stdout.</summary>
internal static class StatusOutput
{
    public static void Print(ConsoleUi ui, IReadOnlyList<ServiceState> states, bool json)
    {
        if (json)
        {
            IReadOnlyList<ServiceJson> items = states
                .Select(s => new ServiceJson(s.Service, s.Name, s.Id, s.State, s.Health, s.Ports.Select(p => new PortJson(p.HostIp, p.HostPort, p.TargetPort, p.Protocol)).ToList()))
                .ToList();
            ui.Result(JsonSerializer.Serialize(items, OutputJson.Default.IReadOnlyListServiceJson));
            return;
        }

        if (states.Count == 0)
        {
            ui.Result("No containers running");
            return;
        }

        ui.Table(["SERVICE", "CONTAINER", "STATE", "HEALTH", "PORTS"],
            states.Select(s => (IReadOnlyList<string>)[s.Service, s.Name.Length == 0 ? "-" : s.Name, s.State, s.Health ?? "-", s.Ports.Count == 0 ? "-" : string.Join(", ", s.Ports)]));
    }
}
