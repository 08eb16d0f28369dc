using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Wallboard.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AddCallbacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Settings_CallbackCadence",
                table: "Stores",
                type: "TEXT",
                nullable: false,
                // Stores that exist before call-backs get the design's cadence (§6).
                defaultValue: "1h, 1bd, 3bd");

            migrationBuilder.CreateTable(
                name: "Callbacks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    StoreId = table.Column<int>(type: "INTEGER", nullable: false),
                    Department = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    CallerE164 = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    CallerRaw = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    NoNumber = table.Column<bool>(type: "INTEGER", nullable: false),
                    CallerName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    LeadSourceId = table.Column<int>(type: "INTEGER", nullable: true),
                    TrackingNumberId = table.Column<int>(type: "INTEGER", nullable: true),
                    MissedCallCount = table.Column<int>(type: "INTEGER", nullable: false),
                    CallerLeftMessage = table.Column<bool>(type: "INTEGER", nullable: false),
                    FirstMissedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastMissedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstResponseDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OverdueSince = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalateAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedBySalespersonId = table.Column<int>(type: "INTEGER", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AttemptCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UnsuccessfulAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAttemptOutcome = table.Column<int>(type: "INTEGER", nullable: true),
                    LastAttemptBy = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    LastVoicemailAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeadName = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    VehicleOfInterest = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    HeardAbout = table.Column<string>(type: "TEXT", maxLength: 120, nullable: true),
                    AppointmentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Resolution = table.Column<int>(type: "INTEGER", nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ResolvedByCallId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Callbacks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Callbacks_LeadSources_LeadSourceId",
                        column: x => x.LeadSourceId,
                        principalTable: "LeadSources",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Callbacks_Salespeople_ClaimedBySalespersonId",
                        column: x => x.ClaimedBySalespersonId,
                        principalTable: "Salespeople",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Callbacks_Stores_StoreId",
                        column: x => x.StoreId,
                        principalTable: "Stores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Callbacks_TrackingNumbers_TrackingNumberId",
                        column: x => x.TrackingNumberId,
                        principalTable: "TrackingNumbers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "CallbackAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallbackId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<int>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AppointmentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SalespersonId = table.Column<int>(type: "INTEGER", nullable: true),
                    By = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CallbackAttempts_Callbacks_CallbackId",
                        column: x => x.CallbackId,
                        principalTable: "Callbacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CallbackAttempts_Salespeople_SalespersonId",
                        column: x => x.SalespersonId,
                        principalTable: "Salespeople",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "CallbackCalls",
                columns: table => new
                {
                    CallbackId = table.Column<long>(type: "INTEGER", nullable: false),
                    CallId = table.Column<long>(type: "INTEGER", nullable: false),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackCalls", x => new { x.CallbackId, x.CallId });
                    table.ForeignKey(
                        name: "FK_CallbackCalls_Callbacks_CallbackId",
                        column: x => x.CallbackId,
                        principalTable: "Callbacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CallbackCalls_Calls_CallId",
                        column: x => x.CallId,
                        principalTable: "Calls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CallbackTransitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CallbackId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<int>(type: "INTEGER", nullable: false),
                    From = table.Column<int>(type: "INTEGER", nullable: true),
                    To = table.Column<int>(type: "INTEGER", nullable: false),
                    ActorSalespersonId = table.Column<int>(type: "INTEGER", nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallbackTransitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CallbackTransitions_Callbacks_CallbackId",
                        column: x => x.CallbackId,
                        principalTable: "Callbacks",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CallbackTransitions_Salespeople_ActorSalespersonId",
                        column: x => x.ActorSalespersonId,
                        principalTable: "Salespeople",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CallbackAttempts_CallbackId_At",
                table: "CallbackAttempts",
                columns: new[] { "CallbackId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CallbackAttempts_SalespersonId_At",
                table: "CallbackAttempts",
                columns: new[] { "SalespersonId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_CallbackCalls_CallId",
                table: "CallbackCalls",
                column: "CallId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_ClaimedBySalespersonId",
                table: "Callbacks",
                column: "ClaimedBySalespersonId");

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_LeadSourceId",
                table: "Callbacks",
                column: "LeadSourceId");

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_OneActivePerNumber",
                table: "Callbacks",
                columns: new[] { "StoreId", "CallerE164" },
                unique: true,
                filter: "\"Status\" IN (0, 1, 2) AND \"CallerE164\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_StoreId_FirstMissedAt",
                table: "Callbacks",
                columns: new[] { "StoreId", "FirstMissedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_StoreId_Status_DueAt",
                table: "Callbacks",
                columns: new[] { "StoreId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Callbacks_TrackingNumberId",
                table: "Callbacks",
                column: "TrackingNumberId");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTransitions_ActorSalespersonId",
                table: "CallbackTransitions",
                column: "ActorSalespersonId");

            migrationBuilder.CreateIndex(
                name: "IX_CallbackTransitions_CallbackId_At",
                table: "CallbackTransitions",
                columns: new[] { "CallbackId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CallbackAttempts");

            migrationBuilder.DropTable(
                name: "CallbackCalls");

            migrationBuilder.DropTable(
                name: "CallbackTransitions");

            migrationBuilder.DropTable(
                name: "Callbacks");

            migrationBuilder.DropColumn(
                name: "Settings_CallbackCadence",
                table: "Stores");
        }
    }
}
