using System.Text.Json;
using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// run-job on Kubernetes: the Job object re-created from D/k8s/jobs (or from what helm rendered of D/chart), waited
/// for, its logs shown, its exit code returned.
/// </summary>
internal sealed class KubernetesJobs(KubernetesTarget target)
{
    public async Task<int> RunAsync(string job, IReadOnlyList<ManifestObject>? rendered, CancellationToken cancellationToken)
    {
        var stack = target.Session.Stack;
        if (!stack.Jobs.Contains(job))
        {
            throw new SlipwayException(FailureReason.NotFound, $"the stack has no job '{job}'",
                stack.Jobs.Count == 0 ? "the stack defines no jobs" : "jobs: " + string.Join(", ", stack.Jobs));
        }

        var kubectl = target.Kubectl;
        var ns = target.NamespaceOf(target.LoadManifests());
        var file = Path.Combine(target.JobsFolder, $"{job}.yml");
        var jobObjects = rendered ?? KubernetesManifests.Load(file);
        var jobObject = jobObjects.FirstOrDefault(o => o.Kind == "Job")
            ?? throw new SlipwayException(FailureReason.InvalidInput, $"{file} has no Job object", "re-render it with 'slipway deploy create --update'");
        await target.ConnectAsync(performClusterManagement: false, null, cancellationToken);
        await new NamespaceOwnership(target).CheckAsync(ns.Name, null, cancellationToken);

        // A Job cannot be re-run in place: the previous run (from start or an earlier run-job) is removed first.
        await kubectl.RequireAsync($"delete job {jobObject.Name}", ["delete", jobObject.ResourceName, "-n", ns.Name, "--ignore-not-found", "--cascade=foreground", "--wait=true"], cancellationToken,
            timeout: target.Options.DeleteTimeout + TimeSpan.FromSeconds(30));
        var pullSecret = target.PullSecret(ns, warn: true);
        var objects = new List<ManifestObject> { ns };
        if (pullSecret is not null) objects.Add(pullSecret.Object);
        objects.AddRange(jobObjects);
        await kubectl.ApplyAsync(KubernetesManifests.Serialize(objects), pullSecret?.SecretForms, TimeSpan.FromMinutes(2), cancellationToken);

        var outcome = await WaitAsync(ns.Name, jobObject.Name, cancellationToken);
        await kubectl.InheritAsync(["logs", "-n", ns.Name, jobObject.ResourceName, "--all-containers", "--prefix"], cancellationToken);
        return outcome;
    }

    /// <summary>Polls the Job until its Complete or Failed condition; the exit code is the failed container's, or 1.</summary>
    private async Task<int> WaitAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var deadline = target.Options.Clock.GetUtcNow() + target.Options.JobTimeout;
        while (true)
        {
            var result = await target.Kubectl.RequireAsync($"get job {name}", ["get", "job.batch/" + name, "-n", ns, "-o", "json"], cancellationToken);
            var job = JsonDocument.Parse(result.StandardOutput).RootElement;
            if (job.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions))
            {
                foreach (var condition in conditions.EnumerateArray())
                {
                    if (condition.GetProperty("status").GetString() != "True") continue;
                    switch (condition.GetProperty("type").GetString())
                    {
                        case "Complete":
                            return 0;
                        case "Failed":
                            return await FailedExitCodeAsync(ns, name, cancellationToken);
                    }
                }
            }

            if (target.Options.Clock.GetUtcNow() >= deadline)
            {
                throw new SlipwayException(FailureReason.VerifyTimeout, $"job {name} did not finish within {target.Options.JobTimeout.TotalMinutes:0} minutes",
                    $"see its pod with 'kubectl {string.Join(' ', target.Kubectl.Connection)} describe pods -n {ns} -l job-name={name}'");
            }

            await target.Options.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private async Task<int> FailedExitCodeAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var pods = await target.Kubectl.RunAsync(["get", "pods", "-n", ns, "-l", $"job-name={name}", "-o", "json"], cancellationToken);
        if (!pods.Succeeded) return 1;
        foreach (var pod in KubernetesTarget.Items(pods.StandardOutput))
        {
            if (!pod.TryGetProperty("status", out var status) || !status.TryGetProperty("containerStatuses", out var containers)) continue;
            foreach (var container in containers.EnumerateArray())
            {
                if (container.TryGetProperty("state", out var state) && state.TryGetProperty("terminated", out var terminated)
                    && terminated.TryGetProperty("exitCode", out var code) && code.GetInt32() != 0)
                {
                    return code.GetInt32();
                }
            }
        }

        return 1;
    }
}
