using Slipway.Infrastructure.Logging;

namespace Slipway.Infrastructure.Processes;

/// <summary>Writes every child command (redacted), its output and its exit code to a run log, around any runner.</summary>
public sealed class LoggingProcessRunner(IProcessRunner inner, ICommandLog log) : IProcessRunner
{
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        // Nothing starts, so nothing is logged.
        cancellationToken.ThrowIfCancellationRequested();
        var logged = spec with
        {
            OnStandardOutput = line =>
            {
                log.Output(spec, false, line);
                spec.OnStandardOutput?.Invoke(line);
            },
            OnStandardError = line =>
            {
                log.Output(spec, true, line);
                spec.OnStandardError?.Invoke(line);
            },
        };
        log.Started(spec);
        try
        {
            var result = await inner.RunAsync(logged, cancellationToken);
            foreach (var note in result.Notes) log.Note($"{note}: {spec.Display()}");
            log.Exited(spec, result);
            return result;
        }
        catch (Exception ex)
        {
            log.Note($"{spec.Display()} failed: {ex.GetType().Name}: {SecretRedactor.Redact(ex.Message, spec.Secrets)}");
            throw;
        }
    }
}
