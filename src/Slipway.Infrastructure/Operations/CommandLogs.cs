using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Deployments;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Operations;

/// <summary>Commands that change a deployment log every child command to D/.slipway/logs/&lt;time&gt;-&lt;command&gt;.log.</summary>
public static class CommandLogs
{
    public static async Task<T> RunAsync<T>(SlipwayEnvironment env, DeploymentSession session, string command, Func<IProcessRunner, Task<T>> work)
    {
        using var log = FileCommandLog.ForCommand(session.Layout.Logs, command, env.Clock);
        log.Redact(session.SecretValues);
        try
        {
            return await work(new LoggingProcessRunner(env.Runner, log));
        }
        catch (SlipwayException ex)
        {
            log.Attach(ex);
            throw;
        }
    }
}
