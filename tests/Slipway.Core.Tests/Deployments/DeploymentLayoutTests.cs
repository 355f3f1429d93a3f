using Slipway.Core.Deployments;

namespace Slipway.Core.Tests.Deployments;

public sealed class DeploymentLayoutTests
{
    [Theory]
    [InlineData("data", true)]
    [InlineData("data/test-data-bind/file", true)]
    [InlineData("overrides/docker-compose.override.yml", true)]
    [InlineData("deployment.yml", true)]
    [InlineData(".slipway/runs/1/log", true)]
    [InlineData("data\\volume", true)]
    [InlineData("spec.yml", false)]
    [InlineData("config.env", false)]
    [InlineData("compose/docker-compose-test.yml", false)]
    [InlineData("config/data/x", false)]
    [InlineData("database/x", false)]
    [InlineData("deployment.yml.bak", false)]
    [InlineData("Data/x", false)]
    public void Only_data_overrides_identity_and_state_are_protected(string relativePath, bool expected)
    {
        Assert.Equal(expected, DeploymentLayout.IsProtected(relativePath));
    }

    [Fact]
    public void Paths_are_under_the_absolute_deployment_directory()
    {
        var layout = new DeploymentLayout("/deployments/d1/../d1");

        Assert.Equal("/deployments/d1", layout.Directory);
        Assert.Equal("/deployments/d1/deployment.yml", layout.DeploymentFile);
        Assert.Equal("/deployments/d1/config.env", layout.ConfigEnv);
        Assert.Equal("/deployments/d1/compose/docker-compose-test.yml", layout.PodComposeFile("test"));
        Assert.Equal("/deployments/d1/compose-jobs/docker-compose-setup.yml", layout.JobComposeFile("setup"));
        Assert.Equal("/deployments/d1/.slipway/logs", layout.Logs);
        Assert.Equal("/deployments/d1/overrides", layout.OverridesFolderPath);
    }
}
