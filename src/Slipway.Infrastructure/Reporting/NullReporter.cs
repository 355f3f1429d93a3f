namespace Slipway.Infrastructure.Reporting;

internal sealed class NullReporter : IReporter
{
    public static readonly NullReporter Instance = new();

    public void Info(string message)
    {
    }

    public void Warn(string message)
    {
    }

    public void Detail(string message)
    {
    }

    public Task<T> StepAsync<T>(string title, Func<Action<string>, Task<T>> work) => work(_ => { });
}
