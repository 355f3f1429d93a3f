using Slipway.Core.Rendering.Kubernetes;

namespace Slipway.Infrastructure.Backends.Kubernetes;

/// <summary>
/// Restores Caddy's certificates into a cluster that never had the ingress, from the backup the caddy-cert-backup
/// CronJob keeps at &lt;kind-mount-root&gt;/caddy-cert-backup/caddy-secrets.yaml (so a recreated cluster does not ask the
/// ACME CA for every certificate again). Slipway runs on the host and reads the file itself. The CronJob writes it as
/// root with mode 0600 (it holds private keys), so a Slipway not running as root cannot: it then copies the file out of
/// the kind node (<c>docker cp</c>; the node mounts the root at /mnt) into D/.slipway, mode 0600, deleted once read; its
/// contents go to kubectl on stdin only, never to a command line or the log. A backup that cannot be read or parsed only
/// warns: Caddy then requests new certificates.
/// </summary>
internal sealed class CaddyCertBackup(KubernetesTarget target, KindCluster cluster, string mountRoot)
{
    public string HostFile => Path.Combine(mountRoot, CaddyIngress.BackupFile);

    public string NodeFile => "/mnt/" + CaddyIngress.BackupFile;

    public async Task RestoreAsync(Action<string>? progress, CancellationToken cancellationToken)
    {
        if (await ReadAsync(cancellationToken) is not { } yaml) return;
        var (secrets, problem) = CaddyCertRestore.Secrets(yaml, HostFile);
        if (problem is not null)
        {
            target.Options.Warn($"the Caddy certificate backup {HostFile} cannot be read as Secrets ({problem}): nothing restored, Caddy requests new certificates");
            return;
        }

        if (secrets.Count == 0)
        {
            progress?.Invoke($"the Caddy certificate backup {HostFile} holds no certificates: nothing to restore");
            return;
        }

        progress?.Invoke($"restoring {secrets.Count} Caddy certificate secret{(secrets.Count == 1 ? "" : "s")} from {HostFile} into {CaddyIngress.Namespace}");
        await target.Kubectl.ApplyAsync(CaddyCertRestore.ApplyDocument(secrets), null, TimeSpan.FromMinutes(2), cancellationToken, progress, forceConflicts: true);
    }

    /// <summary>The backup's text; null when there is none (said) or it cannot be read (warned).</summary>
    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await target.Options.ReadHostFile(HostFile, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            target.Options.Warn($"no Caddy certificate backup at {HostFile} yet (the caddy-cert-backup CronJob writes it every 5 minutes once Caddy holds certificates): nothing restored");
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return await CopyFromNodeAsync(cancellationToken);
        }
    }

    private async Task<string?> CopyFromNodeAsync(CancellationToken cancellationToken)
    {
        var copy = Path.Combine(target.Session.Layout.State, "caddy-secrets.restore.yaml");
        try
        {
            var result = await cluster.CopyFromNodeAsync(NodeFile, copy, cancellationToken);
            if (!result.Succeeded)
            {
                target.Options.Warn($"the Caddy certificate backup {HostFile} is not readable by this user (root's, mode 0600) and copying it out of the kind node failed ({result.Tail(1)}): nothing restored, Caddy requests new certificates; "
                    + $"run start as root, or 'sudo chmod 0644 {HostFile}' (it holds private keys) and start again");
                return null;
            }

            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return await File.ReadAllTextAsync(copy, cancellationToken);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
