export { runDashboard, type RunningDashboard, type RunDashboardOptions } from './run.ts';
export { startDashboard, type Dashboard, type DashboardOptions } from './dashboard.ts';
export {
  createQueueCommands,
  type QueueCommands,
  type DeadLetterSelection,
  type Processing,
} from './commands.ts';
export { createContext, type DashboardContext } from './context.ts';
export { createRetentionSweeper, type RetentionSweeper, type SweepResult } from './retention.ts';
export { AdminError, type AdminErrorCode, type FieldProblem } from './errors.ts';
export type { Status, PlatformStatus, AuthState } from './reads/status.ts';
export type { TicketOnPlatform, TicketListItem } from './reads/tickets.ts';
export type { TicketRow, RowOnPlatform } from './reads/ticket-rows.ts';
export type { DeadLetterItem } from './reads/dead-letters.ts';
export { BOARD_PATH } from './board/board.ts';
// Callers that start the dashboard themselves (tests, `run all`) build its registry with this.
export { Registry } from 'prom-client';
