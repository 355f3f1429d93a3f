using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>A stack with every pod and job compose file parsed: what init and create work from.</summary>
public sealed record StackBundle(Stack Stack, IReadOnlyList<StackComposeFile> Pods, IReadOnlyList<StackComposeFile> Jobs)
{
    public IEnumerable<StackComposeFile> All => Pods.Concat(Jobs);

    public IEnumerable<ComposeService> PodServices => Pods.SelectMany(p => p.Compose.Services);

    /// <summary>
    /// Parses every compose file of the stack. All errors of all files are collected before throwing.
    /// <paramref name="lookup"/> supplies values for interpolation checks (the spec's config). The files are read
    /// through the stack's host files.
    /// </summary>
    public static StackBundle Load(Stack stack, string repositoryBase, Func<string, string?> lookup, DiagnosticBag diagnostics)
    {
        var pods = new List<StackComposeFile>();
        foreach (var pod in stack.Definition.Pods)
        {
            var path = stack.ComposeFile(pod, repositoryBase);
            if (path is null)
            {
                var repository = pod.IsExternal ? Path.Combine(repositoryBase, Path.GetFileName(pod.Repository!.TrimEnd('/'))) : null;
                diagnostics.Error(DiagnosticCodes.NotFound,
                    repository is null
                        ? $"pod '{pod.Name}': compose file docker-compose-{pod.Name}.yml not found in the stack's compose/ folder"
                        : stack.Files.DirectoryExists(repository)
                            ? $"pod '{pod.Name}': no docker-compose.yml in {repository}/{pod.Path}"
                            : $"pod '{pod.Name}': its repository {pod.Repository} is not in the dev root ({repository} does not exist): clone it first with 'setup-repositories'",
                    pod.Location);
                continue;
            }

            pods.Add(new StackComposeFile(pod.Name, path, ComposeParser.Parse(stack.Files.ReadText(path), path, diagnostics, lookup), pod.Location));
        }

        var jobs = new List<StackComposeFile>();
        foreach (var job in stack.Definition.Jobs)
        {
            var path = stack.JobFile(job);
            var at = new SourceLocation(stack.Definition.FilePath, 1, 1);
            if (path is null)
            {
                diagnostics.Error(DiagnosticCodes.NotFound, $"job '{job}': compose file docker-compose-{job}.yml not found in the stack's compose-jobs/ folder", at);
                continue;
            }

            jobs.Add(new StackComposeFile(job, path, ComposeParser.Parse(stack.Files.ReadText(path), path, diagnostics, lookup), at));
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            foreach (var service in pod.Compose.Services)
            {
                if (owners.TryGetValue(service.Name, out var other))
                {
                    diagnostics.Error(DiagnosticCodes.Conflict, $"service '{service.Name}' is defined by pod '{other}' and again by pod '{pod.Name}'; service names must be unique in a stack", service.Location);
                }
                else
                {
                    owners[service.Name] = pod.Name;
                }
            }
        }

        diagnostics.ThrowIfErrors();
        return new StackBundle(stack, pods, jobs);
    }
}
