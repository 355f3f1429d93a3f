namespace Slipway.Infrastructure.Reporting;

/// <summary>
/// How operations tell the user what is happening. The CLI renders it as a live display on a terminal and as
/// one plain line per step otherwise; tests record it.
/// </summary>
public interface IReporter
{
    void Info(string message);

    void Warn(string message);

    /// <summary>Secondary detail (file lists, child output tails).</summary>
    void Detail(string message);

    /// <summary>Runs one step, showing it as in progress, then done (with its duration) or failed.</summary>
    Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work);
}
