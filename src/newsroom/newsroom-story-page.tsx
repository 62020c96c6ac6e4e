import type { ComponentChildren } from 'preact';
import { zonedParts } from '../lib/zoned-time.js';
import { formatNewsroomDateTime } from '../views/dates.js';
import { CsrfField } from '../views/forms.js';
import type { ViewContext } from '../views/site.js';
import { NewsroomLayout, newsroomPath } from './newsroom-layout.js';
import type { StoryForm, StoryProblem } from './newsroom-story-form.js';
import type { StoryNote } from './newsroom.service.js';
import { EDITOR_BUNDLE } from './newsroom.feature.js';
import { may, type Story, type StoryActor } from './story.js';

/** The page a story is written, moved through the workflow, noted and corrected on. */

export type StoryPageData = {
  ctx: ViewContext;
  csrfToken: string;
  actor: StoryActor;
  timeZone: string;
  form: StoryForm;
  sections: readonly { slug: string; nameEn: string; nameKo: string }[];
  people: readonly { name: string; email: string | null }[];
  translations: readonly { id: string; headline: string }[];
  problem?: StoryProblem | undefined;
  /** Something that went wrong on a side form (workflow, note), in the page's language. */
  refusal?: string | undefined;
  notice?: string | undefined;
  /** Absent for a new story. */
  story?: StoryDetails | undefined;
};

export type StoryDetails = {
  story: Story;
  notes: readonly StoryNote[];
  lock: { name: string; since: Date; you: boolean; takenFromYou: boolean } | null;
  previewLink: string;
  late: boolean;
  slugTaken: boolean;
};

const BYLINE_ROWS_EMPTY = 2;

function problemKey(problem: StoryProblem): keyof ViewContext['t']['storyProblem'] {
  return `${problem.field}_${problem.kind}` as keyof ViewContext['t']['storyProblem'];
}

function Field({
  id,
  label,
  help,
  problem,
  children,
}: {
  id: string;
  label: string;
  help?: string | undefined;
  problem?: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={problem ? 'story-field story-field-invalid' : 'story-field'}>
      <label for={id}>{label}</label>
      {help ? (
        <p class="story-help" id={`${id}-help`}>
          {help}
        </p>
      ) : null}
      {problem ? (
        <p class="field-error" id={`${id}-error`}>
          {problem}
        </p>
      ) : null}
      {children}
    </div>
  );
}

function describedBy(id: string, help: boolean, problem: boolean): string | undefined {
  const ids = [help ? `${id}-help` : null, problem ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function StoryFormView(data: StoryPageData & { editable: boolean }) {
  const { ctx, form, sections, people, translations, problem, story, editable } = data;
  const { t, language } = ctx;
  const message = problem ? t.storyProblem[problemKey(problem)] : undefined;
  const at = (field: StoryProblem['field']) => (problem?.field === field ? message : undefined);
  const id = story?.story.id;
  const rows = Math.max(form.bylineName.length + BYLINE_ROWS_EMPTY, 3);
  return (
    <form
      id="story-form"
      class="story-form"
      method="post"
      action={
        id ? `${newsroomPath.story(language, id)}/save` : `${newsroomPath.home(language)}/stories`
      }
      data-autosave={id && editable ? `${newsroomPath.story(language, id)}/autosave` : undefined}
      data-presence={id ? `${newsroomPath.story(language, id)}/presence` : undefined}
      data-editor-labels={JSON.stringify(t.storyEditorLabels)}
      data-editable={editable ? 'true' : 'false'}
    >
      <CsrfField token={data.csrfToken} />
      <input type="hidden" name="base" value={String(form.base ?? 0)} />
      <fieldset disabled={!editable} class="story-fields">
        <Field id="story-headline" label={t.storyFieldHeadline} problem={at('headline')}>
          <input
            id="story-headline"
            name="headline"
            value={form.headline}
            required
            class="story-headline-input"
            aria-invalid={at('headline') ? 'true' : undefined}
            aria-describedby={describedBy('story-headline', false, Boolean(at('headline')))}
          />
        </Field>
        <Field id="story-summary" label={t.storyFieldSummary} problem={at('summary')}>
          <textarea id="story-summary" name="summary" rows={3}>
            {form.summary}
          </textarea>
        </Field>
        <div class={at('body') ? 'story-field story-field-invalid' : 'story-field'}>
          <p class="story-label" id="body-label">
            {t.storyFieldBody}
          </p>
          {at('body') ? (
            <p class="field-error" id="story-body-error">
              {at('body')}
            </p>
          ) : null}
          <div class="editor-toolbar" data-editor-toolbar></div>
          <div class="editor-mount" data-editor-mount aria-labelledby="body-label"></div>
          <textarea name="body" data-editor-source hidden>
            {form.body}
          </textarea>
          <noscript>
            <p class="story-help">{t.storyBodyNeedsScript}</p>
          </noscript>
        </div>
        <Field id="story-section" label={t.storyFieldSection} problem={at('section')}>
          <select id="story-section" name="section">
            {sections.map((section) => (
              <option value={section.slug} selected={section.slug === form.section}>
                {language === 'ko' ? section.nameKo : section.nameEn}
              </option>
            ))}
          </select>
        </Field>
        <Field id="story-language" label={t.storyFieldLanguage}>
          <select id="story-language" name="language">
            {(['en', 'ko'] as const).map((edition) => (
              <option value={edition} selected={edition === form.language}>
                {t.newsroomLanguage[edition]}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class="story-bylines">
          <legend>{t.storyFieldBylines}</legend>
          <p class="story-help">{t.storyBylinesHelp}</p>
          {at('bylines') ? <p class="field-error">{at('bylines')}</p> : null}
          <datalist id="story-people">
            {people.map((person) => (
              <option value={person.name}>{person.email ?? ''}</option>
            ))}
          </datalist>
          {Array.from({ length: rows }, (_, index) => (
            <div class="story-byline" key={index}>
              <label for={`byline-name-${String(index)}`}>{t.storyBylineName(index + 1)}</label>
              <input
                id={`byline-name-${String(index)}`}
                name="bylineName"
                list="story-people"
                value={form.bylineName[index] ?? ''}
              />
              <label for={`byline-email-${String(index)}`}>{t.storyBylineEmail(index + 1)}</label>
              <input
                id={`byline-email-${String(index)}`}
                name="bylineEmail"
                type="email"
                value={form.bylineEmail[index] ?? ''}
              />
            </div>
          ))}
        </fieldset>
        <Field
          id="story-credit"
          label={t.storyFieldCredit}
          help={t.storyFieldCreditHelp}
          problem={at('credit')}
        >
          <input
            id="story-credit"
            name="credit"
            value={form.credit}
            aria-describedby={describedBy('story-credit', true, Boolean(at('credit')))}
          />
        </Field>
        <Field
          id="story-tags"
          label={t.storyFieldTags}
          help={t.storyFieldTagsHelp}
          problem={at('tags')}
        >
          <input
            id="story-tags"
            name="tags"
            value={form.tags}
            aria-describedby={describedBy('story-tags', true, Boolean(at('tags')))}
          />
        </Field>
        <Field
          id="story-slug"
          label={t.storyFieldSlug}
          help={t.storyFieldSlugHelp}
          problem={at('slug')}
        >
          <input
            id="story-slug"
            name="slug"
            value={form.slug}
            aria-describedby={describedBy('story-slug', true, Boolean(at('slug')))}
          />
        </Field>
        <Field
          id="story-translation"
          label={t.storyFieldTranslation}
          help={t.storyTranslationHelp}
          problem={at('translation')}
        >
          <select
            id="story-translation"
            name="translation"
            aria-describedby={describedBy('story-translation', true, Boolean(at('translation')))}
          >
            <option value="">{t.storyTranslationNone}</option>
            {translations.map((other) => (
              <option value={other.id} selected={other.id === form.translation}>
                {other.headline}
              </option>
            ))}
          </select>
        </Field>
        <fieldset class="story-image">
          <legend>{t.storyImageLegend}</legend>
          <p class="story-help">{t.storyImageHelp}</p>
          {at('image') ? <p class="field-error">{at('image')}</p> : null}
          <label for="story-image-src">{t.storyImageSrc}</label>
          <input id="story-image-src" name="imageSrc" type="url" value={form.imageSrc} />
          <label for="story-image-alt">{t.storyImageAlt}</label>
          <input id="story-image-alt" name="imageAlt" value={form.imageAlt} />
          <label for="story-image-caption">{t.storyImageCaption}</label>
          <input id="story-image-caption" name="imageCaption" value={form.imageCaption} />
          <label for="story-image-credit">{t.storyImageCredit}</label>
          <input id="story-image-credit" name="imageCredit" value={form.imageCredit} />
        </fieldset>
      </fieldset>
      <p class="editor-status" data-editor-status aria-live="polite"></p>
      {editable ? (
        <p class="story-actions">
          <button type="submit" class="button-primary">
            {id ? t.storySave : t.storyCreate}
          </button>
        </p>
      ) : null}
    </form>
  );
}

function PostButton({
  csrfToken,
  action,
  label,
  children,
  primary,
}: {
  csrfToken: string;
  action: string;
  label: string;
  children?: ComponentChildren;
  primary?: boolean;
}) {
  return (
    <form method="post" action={action} class="story-side-form">
      <CsrfField token={csrfToken} />
      {children}
      <button type="submit" class={primary ? 'button-primary' : undefined}>
        {label}
      </button>
    </form>
  );
}

function DateTimeFields({
  prefix,
  ctx,
  timeZone,
  value,
}: {
  prefix: string;
  ctx: ViewContext;
  timeZone: string;
  value: Date | null;
}) {
  const { t } = ctx;
  const parts = value ? zonedParts(value, timeZone) : { date: '', time: '' };
  return (
    <>
      <label for={`${prefix}-date`}>{t.storyScheduleDate}</label>
      <input id={`${prefix}-date`} name="date" type="date" value={parts.date} required />
      <label for={`${prefix}-time`}>{t.storyScheduleTime}</label>
      <input id={`${prefix}-time`} name="time" type="time" step={60} value={parts.time} required />
      <p class="story-help">{t.storyScheduleZone(timeZone)}</p>
    </>
  );
}

function Workflow(data: StoryPageData & { details: StoryDetails }) {
  const { ctx, csrfToken, actor, details, timeZone } = data;
  const { story } = details;
  const { t, language } = ctx;
  const base = newsroomPath.story(language, story.id);
  const can = (action: Parameters<typeof may>[1]) => may(actor, action, story);
  const time = (date: Date) => formatNewsroomDateTime(date, timeZone, language);
  const changes = story.liveRevision !== null && story.headRevision !== story.liveRevision;
  const actions: ComponentChildren[] = [];
  if (story.status === 'draft' && can('submit'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/submit`} label={t.storySubmit} />,
    );
  if (story.status === 'published' && changes && !story.pendingReview && can('submit'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/submit`} label={t.storySubmitRevision} />,
    );
  const publishable =
    ['draft', 'in_review', 'unpublished', 'archived'].includes(story.status) ||
    (story.status === 'published' && changes) ||
    story.status === 'scheduled';
  if (publishable && can('publish')) {
    const label =
      story.status === 'published'
        ? t.storyApprove
        : story.status === 'unpublished' || story.status === 'archived'
          ? t.storyRepublish
          : t.storyPublish;
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/publish`} label={label} primary>
        {story.publishedAt ? (
          <p class="story-check">
            <input type="checkbox" id="publish-minor" name="minor" value="1" />
            <label for="publish-minor">{t.storyMinor}</label>
          </p>
        ) : null}
      </PostButton>,
    );
  }
  if ((story.status === 'in_review' || story.pendingReview) && can('send_back'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/send-back`} label={t.storySendBack}>
        <label for="send-back-note">{t.storySendBackNote}</label>
        <textarea id="send-back-note" name="note" rows={3} required></textarea>
      </PostButton>,
    );
  if (story.status === 'scheduled' && can('unschedule'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/unschedule`} label={t.storyUnschedule} />,
    );
  if (story.status === 'published' && can('unpublish'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/unpublish`} label={t.storyUnpublish} />,
    );
  if ((story.status === 'published' || story.status === 'unpublished') && can('archive'))
    actions.push(
      <PostButton csrfToken={csrfToken} action={`${base}/archive`} label={t.storyArchive} />,
    );
  return (
    <section class="story-panel" aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">{t.storyWorkflowHeading}</h2>
      <p>
        {t.storyStatusIs}{' '}
        <strong class={`story-status story-status-${story.status}`}>
          {t.newsroomStatus[story.status]}
        </strong>
        {story.pendingReview ? ` · ${t.newsroomPendingReview}` : null}
        {changes && !story.pendingReview ? ` · ${t.newsroomUnpublishedChanges}` : null}
      </p>
      {story.liveRevision !== null && story.status === 'published' ? (
        <p>{t.storyLiveRevision(String(story.liveRevision))}</p>
      ) : null}
      {story.scheduledFor ? (
        <p
          class={details.late ? 'story-late' : undefined}
          role={details.late ? 'alert' : undefined}
        >
          {details.late
            ? t.storyScheduledLate(time(story.scheduledFor))
            : t.storyScheduledFor(time(story.scheduledFor))}
        </p>
      ) : null}
      {actions}
      {['draft', 'in_review', 'unpublished', 'scheduled'].includes(story.status) &&
      can('schedule') ? (
        <PostButton csrfToken={csrfToken} action={`${base}/schedule`} label={t.storySchedule}>
          <fieldset class="story-datetime">
            <legend>{t.storyScheduleHeading}</legend>
            <DateTimeFields
              prefix="schedule"
              ctx={ctx}
              timeZone={timeZone}
              value={story.scheduledFor}
            />
          </fieldset>
        </PostButton>
      ) : null}
      <h3>{t.storyEmbargoHeading}</h3>
      <p>
        {story.embargoUntil ? t.storyEmbargoUntil(time(story.embargoUntil)) : t.storyEmbargoNone}
      </p>
      {can('embargo') && story.status !== 'published' ? (
        <>
          <PostButton csrfToken={csrfToken} action={`${base}/embargo`} label={t.storyEmbargoSet}>
            <fieldset class="story-datetime">
              <legend>{t.storyEmbargoHeading}</legend>
              <DateTimeFields
                prefix="embargo"
                ctx={ctx}
                timeZone={timeZone}
                value={story.embargoUntil}
              />
            </fieldset>
          </PostButton>
          {story.embargoUntil ? (
            <PostButton
              csrfToken={csrfToken}
              action={`${base}/embargo/lift`}
              label={t.storyEmbargoLift}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function Notes({ data, details }: { data: StoryPageData; details: StoryDetails }) {
  const { ctx, csrfToken, timeZone } = data;
  const { t, language } = ctx;
  return (
    <section class="story-panel" aria-labelledby="notes-heading">
      <h2 id="notes-heading">{t.storyNotesHeading}</h2>
      {details.notes.length === 0 ? <p>{t.storyNotesEmpty}</p> : null}
      <ol class="story-notes">
        {details.notes.map((note) => (
          <li key={note.id} class={note.kind === 'sent_back' ? 'story-note-sent-back' : undefined}>
            {note.kind === 'sent_back' ? <strong>{t.storyNoteSentBack}: </strong> : null}
            <span class="story-note-body">{note.body}</span>
            <br />
            <small>
              {t.storyNoteBy(
                note.author,
                formatNewsroomDateTime(note.createdAt, timeZone, language),
              )}
            </small>
          </li>
        ))}
      </ol>
      <PostButton
        csrfToken={csrfToken}
        action={`${newsroomPath.story(language, details.story.id)}/notes`}
        label={t.storyNoteAdd}
      >
        <label for="note-body">{t.storyNoteLabel}</label>
        <textarea id="note-body" name="note" rows={2} required></textarea>
      </PostButton>
    </section>
  );
}

function Corrections({ data, details }: { data: StoryPageData; details: StoryDetails }) {
  const { ctx, csrfToken, actor } = data;
  const { t, language } = ctx;
  if (details.story.status !== 'published' || !may(actor, 'correct', details.story)) return null;
  return (
    <section class="story-panel" aria-labelledby="corrections-heading">
      <h2 id="corrections-heading">{t.storyCorrectionsHeading}</h2>
      <p class="story-help">{t.storyCorrectionsHelp}</p>
      <PostButton
        csrfToken={csrfToken}
        action={`${newsroomPath.story(language, details.story.id)}/corrections`}
        label={t.storyCorrectionAdd}
      >
        <label for="correction-kind">{t.storyCorrectionKind}</label>
        <select id="correction-kind" name="kind">
          <option value="correction">{t.storyCorrectionKindCorrection}</option>
          <option value="clarification">{t.storyCorrectionKindClarification}</option>
        </select>
        <label for="correction-body">{t.storyCorrectionText}</label>
        <textarea id="correction-body" name="body" rows={3} required></textarea>
      </PostButton>
    </section>
  );
}

function Presence({ data, details }: { data: StoryPageData; details: StoryDetails }) {
  const { ctx, csrfToken, actor, timeZone } = data;
  const { t, language } = ctx;
  const { lock } = details;
  const time = (date: Date) => formatNewsroomDateTime(date, timeZone, language);
  const text = !lock
    ? ''
    : lock.takenFromYou
      ? t.storyTakenFromYou(lock.name)
      : lock.you
        ? t.storyEditingYou(time(lock.since))
        : t.storyEditingSince(lock.name, time(lock.since));
  return (
    <div class="story-presence">
      <p data-presence-status aria-live="polite">
        {text}
      </p>
      {lock && !lock.you && may(actor, 'take_over', details.story) ? (
        <PostButton
          csrfToken={csrfToken}
          action={`${newsroomPath.story(language, details.story.id)}/take-over`}
          label={t.storyTakeOver}
        />
      ) : null}
    </div>
  );
}

export function StoryPage(data: StoryPageData) {
  const { ctx, story: details, actor } = data;
  const { t, language } = ctx;
  const editable = details
    ? may(actor, 'edit', details.story) && !(details.lock && !details.lock.you)
    : true;
  const title = details ? t.storyEditTitle(details.story.content.headline) : t.storyNewTitle;
  const path = details ? `/newsroom/stories/${details.story.id}` : '/newsroom/stories/new';
  return (
    <NewsroomLayout
      ctx={ctx}
      title={title}
      current={details ? 'story' : 'new'}
      role={actor.role}
      path={path}
      bundles={[EDITOR_BUNDLE]}
    >
      <h1 class="story-title">{details ? details.story.content.headline : t.storyNewTitle}</h1>
      {data.notice ? (
        <p class="notice" role="status">
          {data.notice}
        </p>
      ) : null}
      {data.refusal ? (
        <p class="form-error" role="alert">
          {data.refusal}
        </p>
      ) : null}
      {details?.slugTaken ? (
        <p class="form-error" role="alert">
          {t.storySlugTaken}
        </p>
      ) : null}
      {details ? <Presence data={data} details={details} /> : null}
      {details && !may(actor, 'edit', details.story) ? <p>{t.storyReadOnly}</p> : null}
      <div class="story-layout">
        <div class="story-main">
          <StoryFormView {...data} editable={editable} />
        </div>
        {details ? (
          <aside class="story-side" aria-label={t.storyWorkflowHeading}>
            <Workflow {...data} details={details} />
            <Corrections data={data} details={details} />
            <Notes data={data} details={details} />
            <section class="story-panel" aria-labelledby="links-heading">
              <h2 id="links-heading">{t.storyLinksHeading}</h2>
              <ul class="story-links">
                <li>
                  <a href={`${newsroomPath.story(language, details.story.id)}/preview`}>
                    {t.storyPreview}
                  </a>
                </li>
                <li>
                  <a href={`${newsroomPath.story(language, details.story.id)}/revisions`}>
                    {t.storyRevisions}
                  </a>
                </li>
                {details.story.status === 'published' && details.story.path ? (
                  <li>
                    <a href={details.story.path}>{t.storyViewLive}</a>
                  </li>
                ) : null}
              </ul>
              <label for="preview-link">{t.storyPreviewLink}</label>
              <input
                id="preview-link"
                readOnly
                value={details.previewLink}
                class="story-preview-link"
              />
            </section>
          </aside>
        ) : null}
      </div>
    </NewsroomLayout>
  );
}
