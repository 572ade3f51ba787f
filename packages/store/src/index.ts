export type { Database } from './schema.ts';
export { openStore, type Store, type StoreConfig } from './create-db.ts';
export { appendEntries, countEntries, readEntries, lastEntryOf, type NewEntry, type StoredEntry, type AppendResult } from './log-repo.ts';
export { readCheckpoint, swapCheckpoint, type StoredCheckpoint, type CheckpointTable } from './checkpoint-repo.ts';
export { createAccount, findAccount, listAccounts, createSession, findSession, deleteSession, deleteExpiredSessions, type Account, type Session } from './account-repo.ts';
export { createDraft, listDrafts, findDraft, markDraftFiled, recordSubmission, listPendingSubmissions, markSubmissionIncluded, lastSubmissionOf, receiptsBetween, type Draft, type Submission } from './gateway-repo.ts';
export { createProposal, findProposal, listOpenProposals, markProposalClosed, markProposalConfirmed, type ActProposal, type ProposalEnding, type ProposalKind } from './proposal-repo.ts';
export { putBlob, getBlob } from './blob-repo.ts';
export { archiveCheckpoint, listArchivedCheckpoints, readArchivedCheckpoint, type ArchivedCheckpoint } from './archive-repo.ts';
