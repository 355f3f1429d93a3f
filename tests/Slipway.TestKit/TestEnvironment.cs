using Slipway.Infrastructure.Composition;
using Slipway.Infrastructure.Operations;
using Slipway.Infrastructure.Processes;
using Slipway.Infrastructure.Reporting;

namespace Slipway.TestKit;

/// <summary>An operations environment built the way the CLI builds one, over a test's own directory and runner.</summary>
public static class TestEnvironment
{
    public static SlipwayEnvironment Create(string currentDirectory, IProcessRunner runner) =>
        CompositionRoot.Build(new HostSettings
        {
            CurrentDirectory = currentDirectory,
            RepositoryBase = Path.Combine(currentDirectory, "repos"),
            HealthPollInterval = TimeSpan.FromMilliseconds(50),
        }, NullReporter.Instance, runner);
}
