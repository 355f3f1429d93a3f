using Slipway.Core.Diagnostics;

namespace Slipway.Core.Kubernetes;

/// <summary>One <c>network.http-proxy</c> entry: a host name and the routes under it.</summary>
public sealed record HttpProxyHost(string HostName, IReadOnlyList<ProxyRoute> Routes, SourceLocation Location);

/// <summary>A route of an http-proxy host: a path prefix sent to <c>service:port</c>.</summary>
public sealed record ProxyRoute(string Path, string Service, int Port, SourceLocation Location);
