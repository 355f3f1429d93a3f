global using Slipway.TestKit;
