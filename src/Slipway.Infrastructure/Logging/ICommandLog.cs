using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Logging;

/// <summary>
/// The full record of a command's child processes: what ran, every line it printed, how it ended.
/// Called concurrently from the stdout and stderr forwarders, so implementations must be thread-safe.
/// Lines reaching it are already redacted with the spec's secrets.
/// </summary>
public interface ICommandLog
{
    void Started(ProcessSpec spec);

    void Output(ProcessSpec spec, bool isError, string line);

    void Exited(ProcessSpec spec, ProcessResult result);

    void Note(string message);
}
