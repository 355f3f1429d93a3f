using Slipway.Core.Diagnostics;
using Slipway.Core.Fleet;
using Slipway.Infrastructure.Operations;

namespace Slipway.Infrastructure.Fleet;

/// <summary>One deployment a host is asked to check: its spec in the exported commit, its D on the host.</summary>
public sealed record HostCheckDeployment(string Name, string Spec, string Dir);

/// <summary>
/// The part of prepare that needs Slipway itself, run on the host in one process (<c>slipway fleet check-host</c>, one CLI
/// start per host): each spec rendered in memory as the commit has it (like <c>--dry-run deploy create</c>: nothing
/// written, no hook run) with the host's environment, each D's state, and, when asked, each existing D's plan.
/// </summary>
public sealed class FleetHostCheck(SlipwayEnvironment env)
{
    /// <param name="root">The commit exported on the host (null: the repository check failed, the specs are not checked).</param>
    public async Task<(List<FleetCheck> Checks, Dictionary<string, PlanResult> Plans)> RunAsync(string? root, bool plans, IReadOnlyList<HostCheckDeployment> deployments, CancellationToken cancellationToken)
    {
        var checks = new List<FleetCheck>();
        var planned = new Dictionary<string, PlanResult>(StringComparer.Ordinal);
        foreach (var d in deployments)
        {
            if (root is not null)
            {
                var spec = Path.Combine(root, d.Spec);
                if (!File.Exists(spec))
                {
                    checks.Add(new FleetCheck(d.Name, "spec", "fail", d.Spec + " is not in the repository at the wanted commit"));
                }
                else
                {
                    try
                    {
                        await new DeployCreate(env).RenderAsync(new CreateRequest { SpecFile = spec, DeploymentDirectory = Path.Combine(root, ".slipway-check-" + d.Name) }, cancellationToken);
                        checks.Add(new FleetCheck(d.Name, "spec", "ok", d.Spec + " valid"));
                    }
                    catch (SlipwayException ex)
                    {
                        checks.Add(new FleetCheck(d.Name, "spec", "fail", Describe(ex, root)));
                    }
                }
            }

            if (File.Exists(Path.Combine(d.Dir, "deployment.yml")))
            {
                if (!plans)
                {
                    checks.Add(new FleetCheck(d.Name, "dir", "ok", d.Dir + " exists: restart plans for itself"));
                    continue;
                }

                try
                {
                    planned[d.Name] = await new Plan(env).RunAsync(d.Dir, cancellationToken);
                    checks.Add(new FleetCheck(d.Name, "plan", "ok", "planned"));
                }
                catch (SlipwayException ex)
                {
                    checks.Add(new FleetCheck(d.Name, "plan", "fail", Describe(ex, null)));
                }
            }
            else if (Directory.Exists(RemoteScripts.ParentOf(d.Dir)))
            {
                checks.Add(new FleetCheck(d.Name, "dir", "ok", d.Dir + " does not exist yet: deploy creates it"));
            }
            else
            {
                checks.Add(new FleetCheck(d.Name, "dir", "fail", RemoteScripts.ParentOf(d.Dir) + " does not exist (fleet onboard --apply creates it)"));
            }
        }

        return (checks, planned);
    }

    /// <summary>The error as the CLI would print it, on one line, with the export's folder taken out (paths read as in the repository).</summary>
    private static string Describe(SlipwayException ex, string? root)
    {
        var text = ex is InvalidInputException input
            ? string.Join(" ", input.Diagnostics.Where(d => d.IsError).Take(4).Select(d => d.ToString()))
            : ex.Message + (ex.Hint is null ? "" : " (" + ex.Hint + ")");
        if (root is not null) text = text.Replace(root.TrimEnd('/') + "/", "", StringComparison.Ordinal);
        text = text.Replace('\n', ' ');
        return text.Length <= 300 ? text : text[..300];
    }
}
