using Slipway.Infrastructure.Tools;

namespace Slipway.Infrastructure.Tests.Tools;

public sealed class ComposeOutputTests
{
    // What `docker compose --ansi never up --detach` printed on this machine when a host port was taken.
    private const string PortTaken = """
         Network slipway-0f8f28231_default  Creating
         Network slipway-0f8f28231_default  Created
         Volume "slipway-0f8f28231_hello-data"  Creating
         Volume "slipway-0f8f28231_hello-data"  Created
         Container slipway-0f8f28231-web-1  Creating
         Container slipway-0f8f28231-counter-1  Creating
         Container slipway-0f8f28231-web-1  Created
         Container slipway-0f8f28231-counter-1  Created
         Container slipway-0f8f28231-counter-1  Starting
         Container slipway-0f8f28231-web-1  Starting
         Container slipway-0f8f28231-counter-1  Started
        Error response from daemon: driver failed programming external connectivity on endpoint slipway-0f8f28231-web-1 (4dd8c203c254): Bind for 127.0.0.1:18931 failed: port is already allocated

        """;

    [Fact]
    public void Progress_lines_are_left_out_of_the_error_text()
    {
        Assert.Equal(
            "Error response from daemon: driver failed programming external connectivity on endpoint slipway-0f8f28231-web-1 (4dd8c203c254): Bind for 127.0.0.1:18931 failed: port is already allocated",
            ComposeOutput.ErrorText(PortTaken));
    }

    [Fact]
    public void An_error_in_a_progress_line_and_again_at_the_end_is_kept_once()
    {
        const string Text = """
            [+] Running 2/3
             Container p-web-1  Starting
             Container p-web-1  Error response from daemon: port is already allocated
            Error response from daemon: port is already allocated
            """;

        Assert.Equal("Error response from daemon: port is already allocated", ComposeOutput.ErrorText(Text));
    }

    [Fact]
    public void Output_that_is_only_progress_is_kept_as_it_is()
    {
        Assert.Equal(" Container p-web-1  Starting\n Container p-web-1  Error", ComposeOutput.ErrorText(" Container p-web-1  Starting\n Container p-web-1  Error\n"));
    }
}
