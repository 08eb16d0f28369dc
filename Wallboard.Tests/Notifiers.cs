// The app's names for its notifiers (Wallboard.Web/Hosting/Notifier.cs), for the tests too.
global using IBoardNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Live.BoardUpdate>;
global using ICallbackChangeNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Callbacks.CallbackChange>;
global using ICallChangeNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Web.Live.CallChange>;
global using IMetricsNotifier = Wallboard.Web.Hosting.INotifier<Wallboard.Domain.Metrics.MetricsReport>;
