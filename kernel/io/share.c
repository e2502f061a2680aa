/*
 * share.c - share access, as NT's I/O manager keeps it for file systems and
 * drivers (IoCheckShareAccess, IoRemoveShareAccess): every open that reads, writes
 * or deletes must be allowed by each earlier open of the same file, and must allow
 * what they do; a refusal is STATUS_SHARING_VIOLATION.
 *
 * NT's IoCheckShareAccess takes the desired access and share mode and sets the
 * file object's ReadAccess... SharedDelete from them; here the parse procedure has
 * set those already (iofile.c), so these take the file object alone.
 */
#include "iop.h"

/* Update records the open when it is allowed. Opens that neither read, write nor
   delete (attributes only) are not counted, as in NT. */
NTSTATUS IoCheckShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS Share, BOOLEAN Update)
{
    ULONG Read = FileObject->ReadAccess, Write = FileObject->WriteAccess, Delete = FileObject->DeleteAccess;
    ULONG SharedRead = FileObject->SharedRead, SharedWrite = FileObject->SharedWrite;
    ULONG SharedDelete = FileObject->SharedDelete;

    if (!Read && !Write && !Delete)
        return STATUS_SUCCESS;
    if ((Read && Share->SharedRead < Share->OpenCount) || (Write && Share->SharedWrite < Share->OpenCount) ||
        (Delete && Share->SharedDelete < Share->OpenCount) || (Share->Readers != 0 && !SharedRead) ||
        (Share->Writers != 0 && !SharedWrite) || (Share->Deleters != 0 && !SharedDelete))
        return STATUS_SHARING_VIOLATION;
    if (Update) {
        Share->OpenCount++;
        Share->Readers += Read;
        Share->Writers += Write;
        Share->Deleters += Delete;
        Share->SharedRead += SharedRead;
        Share->SharedWrite += SharedWrite;
        Share->SharedDelete += SharedDelete;
    }
    return STATUS_SUCCESS;
}

/* At the open's cleanup (its last handle): what IoCheckShareAccess recorded goes. */
VOID IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS Share)
{
    if (!FileObject->ReadAccess && !FileObject->WriteAccess && !FileObject->DeleteAccess)
        return;
    Share->OpenCount--;
    Share->Readers -= FileObject->ReadAccess;
    Share->Writers -= FileObject->WriteAccess;
    Share->Deleters -= FileObject->DeleteAccess;
    Share->SharedRead -= FileObject->SharedRead;
    Share->SharedWrite -= FileObject->SharedWrite;
    Share->SharedDelete -= FileObject->SharedDelete;
}
