"""What the workspace keeps about a person: the files they uploaded, the tasks given to them,
their meetings and answers. Forgetting keeps the team's work (files, tasks, meetings) without
the person's name on it, and drops their own answers and assignments."""

from core.personal_data import when

from .models import Attendance, DocumentVersion, Meeting, Task


def export(user):
    return {
        "uploaded_files": [
            {
                "project": v.document.project_id,
                "document": v.document.title,
                "file": v.filename,
                "version": v.number,
                "uploaded_at": when(v.uploaded_at),
            }
            for v in DocumentVersion.objects.filter(uploaded_by=user).select_related("document")
        ],
        "tasks": [
            {
                "project": t.project_id,
                "title": t.title,
                "status": t.status,
                "due_on": when(t.due_on),
            }
            for t in Task.objects.filter(assignees=user)
        ],
        "meetings_planned": [
            {"project": m.project_id, "title": m.title, "starts_at": when(m.starts_at)}
            for m in Meeting.objects.filter(created_by=user)
        ],
        "attendance": [
            {"meeting": a.meeting.title, "answer": a.answer, "answered_at": when(a.answered_at)}
            for a in Attendance.objects.filter(user=user).select_related("meeting")
        ],
    }


def forget(user, context):
    Attendance.objects.filter(user=user).delete()
    Task.assignees.through.objects.filter(user=user).delete()
    # Uploaded files, folders, tasks and meetings they created stay with the team; the
    # foreign keys are SET_NULL, so the account's deletion clears the name.
