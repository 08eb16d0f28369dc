using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Wallboard.Domain.Staffing;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;

namespace Wallboard.Tests.Staffing;

/// <summary>
/// The staffing API on the running app: the calculator answers the published Erlang C example and
/// Erlang A with a patience; a store's plan forecasts an hour from the same weekday's calls of the
/// weeks before, with the handle time and patience those calls recorded; bad parameters are
/// problem details.
/// </summary>
public sealed class StaffingApiTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _ingest = new(app);

    private HttpClient As(string token)
    {
        var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private string ManagerOf(int store) => _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store).Token;

    private int Lakeside => _ingest.Credentials.Stores[0].Id;

    private int Bayview => _ingest.Credentials.Stores[1].Id;

    [Fact]
    public async Task The_calculator_answers_the_published_example_and_adds_abandons_with_a_patience()
    {
        var http = As(ManagerOf(Lakeside));

        var c = await http.GetFromJsonAsync<JsonElement>("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8");
        var a = await http.GetFromJsonAsync<JsonElement>("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8&patienceSeconds=120");

        Assert.Equal(14, c.GetProperty("agents").GetInt32());
        Assert.Equal(0.88835, c.GetProperty("predictedServiceLevel").GetDouble(), 5);
        Assert.Equal(0.1741319, c.GetProperty("probabilityOfWaiting").GetDouble(), 7);
        Assert.Equal(7.8359370, c.GetProperty("averageSpeedOfAnswerSeconds").GetDouble(), 7);
        Assert.False(c.TryGetProperty("probabilityOfAbandon", out _));
        var expected = new StaffingTarget(20, 0.8).FewestAgents(new QueueLoad(200, 180, 120));
        Assert.Equal(expected.Agents, a.GetProperty("agents").GetInt32());
        Assert.Equal(expected.ProbabilityOfAbandon!.Value, a.GetProperty("probabilityOfAbandon").GetDouble(), 12);
        Assert.Equal("ErlangA", a.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("api/v1/staffing/erlang-c?handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8", "callsPerHour is required")]
    [InlineData("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=180&answerWithinSeconds=20&serviceLevel=80", "serviceLevel is a fraction")]
    [InlineData("api/v1/staffing/erlang-c?callsPerHour=lots&handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8", "callsPerHour must be a number")]
    [InlineData("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=0&answerWithinSeconds=20&serviceLevel=0.8", "handleSeconds must be between")]
    [InlineData("api/v1/staffing/erlang-c?callsPerHour=200&handleSeconds=180&answerWithinSeconds=20&serviceLevel=0.8&patienceSeconds=-3", "patienceSeconds must be between")]
    [InlineData("api/v1/stores/{store}/staffing?from=yesterday", "from must be a store-local date")]
    [InlineData("api/v1/stores/{store}/staffing?from=2026-12-10&to=2026-12-01", "to must not be before from")]
    [InlineData("api/v1/stores/{store}/staffing?from=2026-01-01&to=2026-12-31", "at most 62 days")]
    [InlineData("api/v1/stores/{store}/staffing?department=Showroom", "department must be one of")]
    public async Task Bad_parameters_are_problem_details_that_say_what_to_fix(string url, string says)
    {
        var response = await As(ManagerOf(Lakeside)).GetAsync(url.Replace("{store}", Lakeside.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_stores_plan_is_refused() =>
        Assert.Equal(HttpStatusCode.Forbidden, (await As(ManagerOf(Lakeside)).GetAsync($"api/v1/stores/{Bayview}/staffing")).StatusCode);

    [Fact]
    public async Task An_hour_is_forecast_from_the_same_weekday_and_hour_of_the_weeks_before_with_their_talk_and_patience()
    {
        // Three weeks of the same weekday at 10:15 in Chicago: four calls answered by 101 after 14 s
        // (106 s of talk) and one caller who hung up after 60 s.
        var chicago = new StoreCalendar("America/Chicago");
        var today = chicago.LocalDate(DateTimeOffset.UtcNow);
        for (var week = 1; week <= 3; week++)
        {
            var day = today.AddDays(-7 * week);
            var at = chicago.DayBounds(day).Start.AddHours(10).AddMinutes(15);
            for (var i = 0; i < 4; i++)
            {
                await _ingest.PostEventsAsync(new CallBuilder($"staffing-{week}-{i}", at.AddMinutes(5 * i))
                    .Started(from: $"31255502{week}{i}", to: "+16305550104").Answered("101", 14).Ended(120).Events);
            }

            await _ingest.PostEventsAsync(new CallBuilder($"staffing-{week}-gone", at.AddMinutes(30))
                .Started(from: $"31255503{week}9", to: "+16305550104").Ended(60).Events);
        }

        var plan = await As(ManagerOf(Lakeside)).GetFromJsonAsync<JsonElement>(
            $"api/v1/stores/{Lakeside}/staffing?from={today.AddDays(-7):yyyy-MM-dd}&to={today:yyyy-MM-dd}");

        Assert.Equal(106, plan.GetProperty("handleSeconds").GetDouble(), 6);
        Assert.Equal((3 * ((4 * 14) + 60)) / 3.0, plan.GetProperty("patienceSeconds").GetDouble(), 6);
        Assert.Equal("ErlangA", plan.GetProperty("model").GetString());
        var hours = plan.GetProperty("hours").EnumerateArray().ToList();
        var ten = hours.Single(h => h.GetProperty("day").GetString() == $"{today:yyyy-MM-dd}" && h.GetProperty("hour").GetInt32() == 10);
        Assert.Equal(5.0, ten.GetProperty("forecastCalls").GetDouble(), 9);
        var needed = new StaffingTarget(20, 0.90).FewestAgents(new QueueLoad(5, 106, 116));
        Assert.Equal(needed.Agents, ten.GetProperty("neededPeople").GetInt32());
        Assert.Equal(needed.ServiceLevel, ten.GetProperty("predictedServiceLevel").GetDouble(), 9);
        Assert.Equal(24, hours.Count(h => h.GetProperty("day").GetString() == $"{today:yyyy-MM-dd}"));

        // A week ago: what happened, against what those calls needed.
        var lastWeek = hours.Single(h => h.GetProperty("day").GetString() == $"{today.AddDays(-7):yyyy-MM-dd}" && h.GetProperty("hour").GetInt32() == 10);
        Assert.Equal(5, lastWeek.GetProperty("calls").GetInt32());
        Assert.Equal(1, lastWeek.GetProperty("missed").GetInt32());
        Assert.Equal(1, lastWeek.GetProperty("peopleWhoAnswered").GetInt32());
        Assert.Equal(needed.Agents, lastWeek.GetProperty("neededForCalls").GetInt32());
        Assert.Equal(needed.Agents > 1 && lastWeek.GetProperty("open").GetBoolean(), lastWeek.GetProperty("underStaffed").GetBoolean());
        Assert.Equal(4 / 5.0, lastWeek.GetProperty("serviceLevel").GetDouble(), 9);
    }
}
